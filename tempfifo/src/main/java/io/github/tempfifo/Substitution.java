package io.github.tempfifo;

import io.github.tempfifo.SubstitutionResult.Outcome;
import io.github.tempfifo.internal.CancellableOpen;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One FIFO of a {@link FifoProcess} and the thread that serves it: waits (cancellably) for the
 * program to open the FIFO, then runs the Java side or starts the command, and records how it ended.
 *
 * <p>A command never has its bytes pumped through the JVM: once the program has opened the FIFO,
 * this thread opens both ends itself for a moment, so that the command's end, opened by
 * {@link ProcessBuilder#start()} in this JVM, can't block; the command then reads or writes the
 * FIFO directly and this thread lets go of its ends.
 *
 * <p>When the program exits while this thread is still waiting for it to open the FIFO, an input
 * substitution is cancelled, and an output substitution is released by opening the write end
 * once: whatever the program wrote just before exiting is still delivered (an open the program
 * made just before exiting can't be told from none, so cancelling would lose it).
 */
final class Substitution implements Runnable {
    /** Each open waits this long, in a loop: the program's exit, not a timeout, ends the wait. */
    private static final Duration WAIT = Duration.ofHours(1);
    /** Opening the second end while holding the first does not wait; this only bounds a bug. */
    private static final Duration IMMEDIATE = Duration.ofSeconds(10);
    private static final int SIGPIPE_STATUS = 128 + 13;
    /** The longest pause between two opens that serve the program's re-opens (see serveReopens). */
    private static final long MAX_REOPEN_PAUSE_MILLIS = 50;

    private enum State { WAITING, OPENED, CANCELLED, DRAINING, SERVING_REOPENS }

    final int index;
    final TempFifo fifo;
    /** True if the program reads the FIFO (like {@code <(cmd)}), false if it writes it. */
    final boolean input;
    final String description;
    private final InputWriter writer;
    private final OutputReader reader;
    private final ProcessBuilder command;

    private final Object lock = new Object();
    private State state = State.WAITING;      // guarded by lock
    private boolean ended;                     // guarded by lock: end() was called
    private boolean programExited;             // guarded by lock: programExited() was called
    private Process process;                   // guarded by lock: the command, once started
    private List<ProcessHandle> terminated = List.of(); // guarded by lock: what end() signalled
    private volatile boolean openReturned;
    private volatile Thread thread;
    private volatile SubstitutionResult result;

    private Substitution(int index, TempFifo fifo, boolean input, String description,
                         InputWriter writer, OutputReader reader, ProcessBuilder command) {
        this.index = index;
        this.fifo = fifo;
        this.input = input;
        this.description = description;
        this.writer = writer;
        this.reader = reader;
        this.command = command;
    }

    static Substitution ofWriter(int index, TempFifo fifo, String description, InputWriter writer) {
        return new Substitution(index, fifo, true, description, writer, null, null);
    }

    static Substitution ofReader(int index, TempFifo fifo, String description, OutputReader reader) {
        return new Substitution(index, fifo, false, description, null, reader, null);
    }

    static Substitution ofCommand(int index, TempFifo fifo, boolean input, ProcessBuilder command) {
        return new Substitution(index, fifo, input, String.join(" ", command.command()), null, null, command);
    }

    boolean isCommand() {
        return command != null;
    }

    void start() {
        Thread t = new Thread(this, "tempfifo-substitution-" + index);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** @return the result, or null while running */
    SubstitutionResult result() {
        return result;
    }

    /** Waits at most {@code millis} (0: forever) for the thread to finish; true if it has. */
    boolean join(long millis) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.join(millis);
        return !t.isAlive();
    }

    @Override
    public void run() {
        SubstitutionResult r;
        try {
            r = input ? runInput() : runOutput();
        } catch (Throwable t) {
            r = ended && !(t instanceof Error) ? done(Outcome.CUT_OFF, t, null) : done(Outcome.FAILED, t, null);
        }
        result = r;
    }

    // ---------------------------------------------------------------- program reads the FIFO

    private SubstitutionResult runInput() throws IOException, InterruptedException {
        WritableByteChannel channel = (WritableByteChannel) awaitOpen(true);
        if (channel == null) {
            return done(Outcome.NEVER_OPENED, null, null);
        }
        if (command != null) {
            Process p;
            try {
                // The program, and our read end, are readers: opening the write end can't block.
                Closeable keepReadEnd = fifo.openReadChannel(IMMEDIATE);
                try {
                    p = startCommand(copy(command).redirectOutput(fifo.path().toFile()));
                } finally {
                    keepReadEnd.close();
                }
            } finally {
                channel.close();
            }
            if (p == null) {
                return done(Outcome.CUT_OFF, null, null);
            }
            SubstitutionResult r = commandResult(p);
            serveReopens(true);
            return r;
        }
        try (OutputStream out = Channels.newOutputStream(channel)) {
            writer.writeTo(out);
        } catch (IOException e) {
            if (isBrokenPipe(e) || ended()) {
                return done(Outcome.CUT_OFF, e, null);
            }
            throw e;
        }
        serveReopens(true);
        return done(Outcome.COMPLETED, null, null);
    }

    // --------------------------------------------------------------- program writes the FIFO

    private SubstitutionResult runOutput() throws IOException, InterruptedException {
        ReadableByteChannel channel = (ReadableByteChannel) awaitOpen(false);
        if (channel == null) {
            return done(Outcome.NEVER_OPENED, null, null);
        }
        boolean drained;
        synchronized (lock) {
            drained = state == State.DRAINING;
            state = State.OPENED;
        }
        InputStream in = Channels.newInputStream(channel);
        int first = -1;
        if (drained) {
            // Released by us after the program exited: only what it wrote before is left.
            try {
                first = in.read();
            } catch (IOException e) {
                in.close();
                throw e;
            }
            if (first < 0) {
                in.close();
                return done(Outcome.NEVER_OPENED, null, null);
            }
        }
        if (command != null) {
            return drained ? feedCommand(in, first) : handOverToCommand(channel);
        }
        InputStream data = first < 0 ? in : new PrependedInputStream(first, in);
        try (data) {
            reader.readFrom(data);
        } catch (IOException e) {
            if (ended()) {
                return done(Outcome.CUT_OFF, e, null);
            }
            throw e;
        }
        if (!drained) {
            serveReopens(false);
        }
        return done(Outcome.COMPLETED, null, null);
    }

    private SubstitutionResult handOverToCommand(ReadableByteChannel channel) throws IOException, InterruptedException {
        Process p;
        try {
            // Our write end keeps the FIFO's data alive and lets the command's read end open at once.
            Closeable keepWriteEnd = fifo.openWriteChannel(IMMEDIATE);
            try {
                p = startCommand(copy(command).redirectInput(fifo.path().toFile()));
            } finally {
                keepWriteEnd.close();
            }
        } finally {
            channel.close();
        }
        if (p == null) {
            return done(Outcome.CUT_OFF, null, null);
        }
        SubstitutionResult r = commandResult(p);
        serveReopens(false);
        return r;
    }

    /**
     * Once our side is done, the program may open the FIFO again (e.g. {@code cat {1} {1}}).
     * No one else will ever open the other end, so that open would wait forever. As with a
     * pipe (bash's {@code <(cmd)} and {@code >(cmd)}), it gets an end already closed instead:
     * a reader reads end of file, a writer gets {@code EPIPE}/{@code SIGPIPE}. Each open of the
     * program's is met by one of ours, closed at once, until the program exits or
     * {@link #end()} is called.
     *
     * <p>While the program still holds its first end, our open returns at once (the kernel
     * pairs it with that end) and pairing again would spin: then we pause, 1 ms doubling to
     * {@value #MAX_REOPEN_PAUSE_MILLIS} ms, before the next open. The program reads its end
     * of file from the first end as usual: our end is open only for an instant.
     *
     * @param asWriter true to meet opens for reading (an input FIFO), false opens for writing
     */
    private void serveReopens(boolean asWriter) {
        synchronized (lock) {
            if (ended || programExited) {
                return;
            }
            state = State.SERVING_REOPENS;
        }
        try {
            long pause = 1;
            for (;;) {
                long start = System.nanoTime();
                try {
                    (asWriter ? fifo.openWriteChannel(WAIT) : fifo.openReadChannel(WAIT)).close();
                } catch (FifoTimeoutException e) {
                    continue; // no open for an hour: keep serving
                }
                boolean waited = System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(MAX_REOPEN_PAUSE_MILLIS);
                pause = waited ? 1 : Math.min(pause * 2, MAX_REOPEN_PAUSE_MILLIS);
                Thread.sleep(pause);
            }
        } catch (IOException | InterruptedException e) {
            // interrupted by programExited() or end(), or the FIFO closed: done
        } finally {
            Thread.interrupted(); // the interrupt was ours, and meant only for the wait
        }
    }

    /** The program has exited, leaving at most a pipe's worth of data: copy it to the command. */
    private SubstitutionResult feedCommand(InputStream in, int first) throws IOException, InterruptedException {
        Process p;
        try (in) {
            p = startCommand(copy(command).redirectInput(ProcessBuilder.Redirect.PIPE));
            if (p != null) {
                try (OutputStream stdin = p.getOutputStream()) {
                    stdin.write(first);
                    in.transferTo(stdin);
                } catch (IOException e) {
                    // the command stopped reading: its exit status says how it went
                }
            }
        }
        return p == null ? done(Outcome.CUT_OFF, null, null) : commandResult(p);
    }

    // ----------------------------------------------------------------------------- shared

    /**
     * Opens our end, waiting until the program opens its end or {@link #programExited()} /
     * {@link #end()} cancels the wait.
     *
     * @return the channel, or null if cancelled before the program opened the FIFO
     */
    private Channel awaitOpen(boolean write) throws IOException {
        Channel channel = null;
        try {
            while (channel == null) {
                try {
                    channel = write ? fifo.openWriteChannel(WAIT) : fifo.openReadChannel(WAIT);
                } catch (FifoTimeoutException e) {
                    if (Thread.currentThread().isInterrupted() || cancelled()) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            if (isClosedException(e)) {
                // The FIFO was closed under us (FifoProcess.close(), or the JVM's exit hook):
                // as good as cancelled.
                synchronized (lock) {
                    state = State.CANCELLED;
                }
            } else if (!cancelled()) {
                throw e;
            }
        } finally {
            openReturned = true;
        }
        synchronized (lock) {
            if (state == State.CANCELLED) {
                Thread.interrupted(); // the interrupt was ours, and meant only for the wait
                if (channel != null) {
                    channel.close();
                }
                return null;
            }
            if (state == State.WAITING) {
                state = State.OPENED;
            }
        }
        return channel;
    }

    private boolean cancelled() {
        synchronized (lock) {
            return state == State.CANCELLED;
        }
    }

    private boolean ended() {
        synchronized (lock) {
            return ended;
        }
    }

    /** Starts the command unless {@link #end()} came first; then returns null. */
    private Process startCommand(ProcessBuilder pb) throws IOException {
        synchronized (lock) {
            if (ended) {
                return null;
            }
            process = pb.start();
            return process;
        }
    }

    private SubstitutionResult commandResult(Process p) throws InterruptedException {
        int status = waitForUninterruptibly(p);
        if (status == 0) {
            return done(Outcome.COMPLETED, null, status);
        }
        if (ended() || (input && status == SIGPIPE_STATUS)) {
            return done(Outcome.CUT_OFF, null, status);
        }
        return done(Outcome.FAILED, null, status);
    }

    private SubstitutionResult done(Outcome outcome, Throwable exception, Integer status) {
        return new SubstitutionResult(index, fifo.path(), description, outcome, exception, status);
    }

    /**
     * The program has exited. A wait still pending on an input FIFO is cancelled; one on an
     * output FIFO is released by opening its write end, and delivers what the program wrote.
     * Returns without waiting for this substitution to finish.
     */
    void programExited() {
        synchronized (lock) {
            programExited = true;
            if (state == State.SERVING_REOPENS) {
                thread.interrupt();
                return;
            }
            if (state != State.WAITING) {
                return;
            }
            if (input) {
                state = State.CANCELLED;
                thread.interrupt();
                return;
            }
            state = State.DRAINING;
        }
        // Our write end makes the pending read open return (the kernel counts the open: closing
        // at once is fine). Loop in case the thread has not yet entered its open.
        while (!openReturned && thread.isAlive()) {
            try {
                fifo.openWriteChannel(Duration.ofMillis(100)).close();
                return;
            } catch (FifoTimeoutException e) {
                // not waiting yet: try again
            } catch (IOException e) {
                return; // closed meanwhile: the wait was cancelled another way
            }
        }
    }

    /**
     * Ends this substitution now: a pending wait is cancelled, a command is sent SIGTERM (with
     * its descendants), the Java side is interrupted. Returns without waiting.
     */
    void end() {
        Process p;
        synchronized (lock) {
            ended = true;
            boolean waiting = state == State.WAITING || state == State.DRAINING || state == State.SERVING_REOPENS;
            if (waiting) {
                state = State.CANCELLED;
            }
            if (thread != null && (waiting || command == null)) {
                thread.interrupt();
            }
            p = process;
        }
        if (p != null) {
            List<ProcessHandle> signalled = ProcessTrees.terminate(p.toHandle());
            synchronized (lock) {
                terminated = signalled;
            }
        }
    }

    /** Sends SIGKILL to what {@link #end()} sent SIGTERM to, if still running. */
    void kill() {
        List<ProcessHandle> signalled;
        synchronized (lock) {
            signalled = terminated;
        }
        ProcessTrees.kill(signalled);
    }

    private boolean isClosedException(IOException e) {
        return e instanceof FileSystemException && Objects.equals(((FileSystemException) e).getReason(),
                CancellableOpen.closedException(fifo.path()).getReason());
    }

    static boolean isBrokenPipe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    static int waitForUninterruptibly(Process p) {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return p.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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

    /** An input stream that yields one byte already read, then the rest of {@code in}. */
    private static final class PrependedInputStream extends InputStream {
        private int first;
        private final InputStream in;

        PrependedInputStream(int first, InputStream in) {
            this.first = first;
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (first >= 0) {
                int b = first;
                first = -1;
                return b;
            }
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (first >= 0) {
                b[off] = (byte) first;
                first = -1;
                return 1;
            }
            return in.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static long millisLeft(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
