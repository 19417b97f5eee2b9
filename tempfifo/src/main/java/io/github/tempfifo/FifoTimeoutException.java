package io.github.tempfifo;

import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Thrown when the other end of a FIFO did not open it within the timeout given to one of
 * {@link TempFifo}'s {@code open…} methods.
 *
 * <p>Like {@link java.net.SocketTimeoutException}, it extends {@link InterruptedIOException}:
 * the operation was abandoned, nothing was opened, and no file descriptor or thread was left
 * behind. The FIFO itself is untouched and may be opened again.
 */
public class FifoTimeoutException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final Duration timeout;

    /**
     * Creates an exception for a FIFO whose other end did not open in time.
     *
     * @param path    the FIFO
     * @param timeout how long the open waited
     */
    public FifoTimeoutException(Path path, Duration timeout) {
        super(path + ": the other end did not open the FIFO within " + timeout.toMillis() + " ms");
        this.path = path;
        this.timeout = timeout;
    }

    /**
     * Returns the FIFO that was being opened.
     *
     * @return the FIFO's path (may be {@code null} after deserialization)
     */
    public Path path() {
        return path;
    }

    /**
     * Returns how long the open waited.
     *
     * @return the timeout that expired
     */
    public Duration timeout() {
        return timeout;
    }
}
