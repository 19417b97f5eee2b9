package io.github.tempfifo;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the data of an input substitution (see {@link FifoProcessBuilder#inputFrom(InputWriter)}):
 * what the program will read from the FIFO.
 *
 * <p>Called once, on the substitution's own thread, after the program has opened the FIFO; never
 * called if the program does not open it. The stream is closed after the call returns.
 */
@FunctionalInterface
public interface InputWriter {
    /**
     * Writes the program's input.
     *
     * <p>Writes block while the pipe is full (the program is not reading). If the program stops
     * reading (closes the FIFO or exits), writes throw an {@link IOException} ("Broken pipe");
     * letting it propagate is right: the substitution is then reported
     * {@link SubstitutionResult.Outcome#CUT_OFF cut off}, not failed. If the program is ended by
     * {@link FifoProcess#close()}, the thread is interrupted and writes throw
     * {@link java.nio.channels.ClosedByInterruptException}.
     *
     * @param out the FIFO's write end
     * @throws IOException any other exception thrown here makes the substitution
     *                     {@link SubstitutionResult.Outcome#FAILED fail}, and
     *                     {@link FifoProcess#waitFor()} throw a {@link SubstitutionException}
     */
    void writeTo(OutputStream out) throws IOException;
}
