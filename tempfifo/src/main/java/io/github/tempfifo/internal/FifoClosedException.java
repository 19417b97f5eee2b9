package io.github.tempfifo.internal;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * An open of a FIFO whose {@code TempFifo} was closed before or while the open waited (by
 * {@code close()}, or by the exit hook). To a caller it is a {@link FileSystemException} naming
 * the FIFO; to tempfifo's own code it is a type to decide on, never a message to compare.
 *
 * <p>Public only for {@code io.github.tempfifo} (this package is not exported).
 */
public final class FifoClosedException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    /** @param fifo the FIFO whose TempFifo was closed */
    public FifoClosedException(Path fifo) {
        super(fifo.toString(), null, "the TempFifo was closed");
    }
}
