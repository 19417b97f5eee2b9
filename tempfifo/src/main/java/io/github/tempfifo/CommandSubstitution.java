package io.github.tempfifo;

import io.github.tempfifo.SubstitutionResult.Outcome;
import io.github.tempfifo.internal.Copy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channel;
import java.util.List;

/**
 * A substitution served by a command: its standard output (input substitution, {@code <(cmd)})
 * or input (output substitution, {@code >(cmd)}) is the FIFO, so its bytes never go through the
 * JVM. Started only once the program has opened the FIFO.
 *
 * <p>The hand-over: holding our end (the one that met the program's open), this thread opens
 * the opposite end too for a moment, so that the command's end, opened by
 * {@link ProcessBuilder#start()} in this JVM, can't block; the command then reads or writes the
 * FIFO directly and this thread lets go of both ends.
 */
final class CommandSubstitution extends Substitution {
    /** Exit status of a command killed by SIGPIPE, as a shell reports it: 128 + 13. */
    static final int SIGPIPE_STATUS = 128 + 13;

    private final ProcessBuilder command;
    private Process process;                             // guarded by lock: once started
    private List<ProcessHandle> terminated = List.of(); // guarded by lock: what end() signalled

    CommandSubstitution(int index, TempFifo fifo, boolean input, ProcessBuilder command) {
        super(index, fifo, input, String.join(" ", command.command()));
        this.command = command;
    }

    @Override
    boolean isCommand() {
        return true;
    }

    @Override
    SubstitutionResult serve(Channel channel, boolean afterExit) throws IOException {
        Process p;
        if (afterExit) {
            InputStream in = leftOver(channel);
            if (in == null) {
                return result(Outcome.NEVER_OPENED, null, null);
            }
            p = feed(in);
        } else {
            try (channel) {
                Closeable otherEnd = input ? fifo.openReadChannel(IMMEDIATE) : fifo.openWriteChannel(IMMEDIATE);
                try {
                    ProcessBuilder pb = copy(command);
                    p = start(input ? pb.redirectOutput(fifo.path().toFile()) : pb.redirectInput(fifo.path().toFile()));
                } finally {
                    otherEnd.close();
                }
            }
        }
        if (p == null) {
            return result(Outcome.CUT_OFF, null, null); // end() came first
        }
        int status = ProcessTrees.waitForUninterruptibly(p);
        if (status == 0) {
            return result(Outcome.COMPLETED, null, status);
        }
        if (isEnding() || (input && status == SIGPIPE_STATUS)) {
            return result(Outcome.CUT_OFF, null, status);
        }
        return result(Outcome.FAILED, null, status);
    }

    /** The program has exited, leaving at most a pipe's worth of data: copy it to the command's stdin. */
    private Process feed(InputStream in) throws IOException {
        try (in) {
            Process p = start(copy(command).redirectInput(ProcessBuilder.Redirect.PIPE));
            if (p != null) {
                try (OutputStream stdin = p.getOutputStream()) {
                    Copy.copy(in, stdin);
                } catch (IOException e) {
                    // the command stopped reading: its exit status says how it went
                }
            }
            return p;
        }
    }

    /** Starts the command unless {@link #end()} came first; then returns null. */
    private Process start(ProcessBuilder pb) throws IOException {
        synchronized (lock) {
            if (isEnding()) {
                return null;
            }
            process = pb.start();
            return process;
        }
    }

    @Override
    void endRunning(Thread worker) {
        // not interrupted: the thread only waits for the command, which SIGTERM ends
        if (process != null) {
            terminated = ProcessTrees.terminate(process.toHandle());
        }
    }

    @Override
    void killRunning() {
        List<ProcessHandle> signalled;
        synchronized (lock) {
            signalled = terminated;
        }
        ProcessTrees.kill(signalled);
    }

    /** A copy of the user's command, so that redirecting one end does not change their builder. */
    private static ProcessBuilder copy(ProcessBuilder pb) {
        ProcessBuilder copy = new ProcessBuilder(pb.command())
                .directory(pb.directory())
                .redirectInput(pb.redirectInput())
                .redirectOutput(pb.redirectOutput())
                .redirectError(pb.redirectError())
                .redirectErrorStream(pb.redirectErrorStream());
        if (!copy.environment().equals(pb.environment())) {
            copy.environment().clear();
            copy.environment().putAll(pb.environment());
        }
        return copy;
    }
}
