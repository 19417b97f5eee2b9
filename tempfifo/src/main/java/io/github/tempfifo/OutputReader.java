package io.github.tempfifo;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the data of an output substitution (see {@link FifoProcessBuilder#outputTo(OutputReader)}):
 * what the program writes to the FIFO.
 *
 * <p>Called once, on the substitution's own thread, after the program has opened the FIFO; never
 * called if the program does not open it. The stream is closed after the call returns.
 */
@FunctionalInterface
public interface OutputReader {
    /**
     * Reads the program's output.
     *
     * <p>Reads block until the program writes; they return -1 (end of stream) once the program
     * has closed the FIFO, or exited. Returning early closes the read end: the program's further
     * writes then fail with {@code EPIPE}/{@code SIGPIPE}.
     *
     * @param in the FIFO's read end
     * @throws IOException any exception thrown here makes the substitution
     *                     {@link SubstitutionResult.Outcome#FAILED fail}, and
     *                     {@link FifoProcess#waitFor()} throw a {@link SubstitutionException}
     */
    void readFrom(InputStream in) throws IOException;
}
