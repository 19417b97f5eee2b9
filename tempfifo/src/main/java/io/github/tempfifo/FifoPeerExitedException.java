package io.github.tempfifo;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown by a peer-tied open of a {@link TempFifo} (for example
 * {@link TempFifo#openOutputStream(java.time.Duration, ProcessHandle)}) when the process that was
 * to open the other end exited before it did: waiting longer could only end in a timeout.
 *
 * <p>As with a timeout, nothing was opened and no file descriptor or thread was left behind; the
 * FIFO itself is untouched and may be opened again.
 */
public class FifoPeerExitedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final long pid;

    /**
     * Creates an exception for a FIFO whose peer exited before opening its end.
     *
     * @param path the FIFO
     * @param pid  the process id of the peer that exited
     */
    public FifoPeerExitedException(Path path, long pid) {
        super(path + ": process " + pid + " exited before it opened the other end of the FIFO");
        this.path = path;
        this.pid = pid;
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
     * Returns the peer's process id.
     *
     * @return the pid of the process that exited
     */
    public long pid() {
        return pid;
    }
}
