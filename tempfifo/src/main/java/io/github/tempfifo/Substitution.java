package io.github.tempfifo;

import io.github.tempfifo.SubstitutionResult.Outcome;
import io.github.tempfifo.internal.FifoClosedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One FIFO of a {@link FifoProcess} and the thread that serves it: the thread waits for the
 * program to open the FIFO, then {@linkplain #serve serves} it (a subclass per kind: a Java
 * writer, a Java reader, a command) and records how it ended.
 *
 * <p>The one state machine, guarded by {@code lock}:
 * <pre>
 *   NEW --start--> WAITING --our open returns--> RUNNING --serve returns--> DONE
 *                  WAITING --program exited, output--> RELEASED --our open returns--> RUNNING (after exit)
 *                  WAITING --program exited, input (our open is tied to it); or end()--> CANCELLED --> DONE (never opened)
 *                  RELEASED --end()--> CANCELLED
 *                  RUNNING --end()--> ENDING --serve returns--> DONE (cut off)
 *                  RUNNING --serve returns--> SERVING --program exited (our open is tied to it), or end()--> DONE
 * </pre>
 * Nothing polls: an input's pending open is tied to the program
 * ({@link TempFifo#openWriteChannel(Duration, ProcessHandle)}), so it ends by itself with
 * {@link FifoPeerExitedException} when the program exits without opening the FIFO; any pending
 * open is ended by closing the FIFO ({@link #end()}, {@link #closeFifo()}), which makes it
 * throw {@link FifoClosedException}, or released by opening the opposite end once
 * ({@link #release()}); a program that exits after opening an output FIFO has had its data
 * delivered whichever way the race went, since an open it made just before exiting can't be
 * told from none.
 *
 * <p>SERVING: the program may open its FIFO again once ours is done ({@code cat {1} {1}}); no one
 * else will ever open the other end, so that open would wait forever. As with a pipe (bash's
 * {@code <(cmd)} and {@code >(cmd)}) it meets an end already closed instead: a reader reads end
 * of file, a writer's bytes go nowhere (a write may fail with {@code EPIPE}). See
 * {@link #serveReopens()}.
 */
abstract class Substitution implements Runnable {
    /** The program's exit or {@link #end()}, not a timeout, ends a wait for the program. */
    static final Duration UNTIL_ENDED = Duration.ofDays(365);
    /** Opening the second end while holding the first does not wait; this only bounds a bug. */
    static final Duration IMMEDIATE = Duration.ofSeconds(10);

    enum State { NEW, WAITING, RELEASED, RUNNING, ENDING, SERVING, CANCELLED, DONE }

    /** The longest pause between two opens that meet the program's re-opens (see serveReopens). */
    private static final long MAX_REOPEN_PAUSE_MILLIS = 50;

    final int index;
    final TempFifo fifo;
    /** True if the program reads the FIFO (like {@code <(cmd)}), false if it writes it. */
    final boolean input;
    final String description;

    final Object lock = new Object();
    private State state = State.NEW;            // guarded by lock
    private boolean afterExit;                  // guarded by lock: our open was released after the program exited
    private Thread thread;                      // guarded by lock
    private ProcessHandle program;              // set by start(), before the thread runs
    private IOException closeFailure;           // guarded by lock
    private volatile SubstitutionResult result;
    private final CountDownLatch done = new CountDownLatch(1);
    /** Counted down when the program exits or {@link #end()} is called: ends serving re-opens at once. */
    private final CountDownLatch stopServing = new CountDownLatch(1);

    Substitution(int index, TempFifo fifo, boolean input, String description) {
        this.index = index;
        this.fifo = fifo;
        this.input = input;
        this.description = description;
    }

    /**
     * Serves the FIFO once the program has opened it, on this substitution's thread.
     *
     * @param channel   our end (closed by this method)
     * @param afterExit true if the program had exited and our open was released by
     *                  {@link #release()} (output only): the pipe holds at most what it wrote
     */
    abstract SubstitutionResult serve(Channel channel, boolean afterExit) throws IOException, InterruptedException;

    /** True if a failure of a substitution of this kind is reported by its exit status, not by an exception. */
    boolean isCommand() {
        return false;
    }

    /** Called under {@code lock} by {@link #end()} on a running substitution: stop the work. */
    void endRunning(Thread worker) {
        worker.interrupt(); // the Java side: a blocked read or write throws ClosedByInterruptException
    }

    /** Called by {@link #kill()}: force what {@link #endRunning} asked to stop. */
    void killRunning() {
    }

    /** Runs this substitution on a pooled thread (see {@link FifoProcess#WORKERS}) for {@code program}. */
    void start(ProcessHandle program) {
        synchronized (lock) {
            state = State.WAITING;
            this.program = program;
        }
        FifoProcess.WORKERS.execute(this);
    }

    @Override
    public final void run() {
        synchronized (lock) {
            thread = Thread.currentThread();
        }
        SubstitutionResult r;
        try {
            Channel channel = awaitOpen();
            if (channel == null) {
                r = result(Outcome.NEVER_OPENED, null, null);
            } else {
                boolean released;
                synchronized (lock) {
                    released = afterExit;
                }
                r = serve(channel, released);
            }
        } catch (Throwable t) {
            r = result(isEnding() && !(t instanceof Error) ? Outcome.CUT_OFF : Outcome.FAILED, t, null);
        }
        // The outcome is final now: FifoProcess need not wait for the program's re-opens, which
        // are met until the program exits or FifoProcess removes the FIFO.
        result = r;
        done.countDown();
        serveReopens();
        boolean releasing;
        synchronized (lock) {
            releasing = afterExit || state == State.RELEASED;
            state = State.DONE;
            thread = null;
        }
        Thread.interrupted(); // an interrupt from end() was for this substitution only, not for the pooled thread
        if (releasing) {
            closeFifo(); // a release() may still wait for a reader that is gone: end it
        }
    }

    /**
     * SERVING (see the class description): meets each open of the program's with one of ours,
     * closed at once, until the program exits or {@link #end()} is called: either closes the
     * FIFO, which ends our pending open (tied to the program as well, so that it ends even if
     * the program's exit is not reported).
     * Returns at once if our side ended otherwise, or after the program exited.
     *
     * <p>While the program still holds its first end, our open returns at once (the kernel pairs
     * it with that end) and pairing again at once would spin: then we pause, 1 ms doubling to
     * {@value #MAX_REOPEN_PAUSE_MILLIS} ms, before the next open (an open that waited resets the
     * pause). The program still reads its end of file from its first end: ours is open only for
     * an instant.
     */
    private void serveReopens() {
        ProcessHandle peer;
        synchronized (lock) {
            if (state != State.RUNNING || afterExit) {
                return;
            }
            state = State.SERVING;
            peer = program;
        }
        long pause = 1;
        try {
            for (;;) {
                long start = System.nanoTime();
                (input ? fifo.openWriteChannel(UNTIL_ENDED, peer) : fifo.openReadChannel(UNTIL_ENDED, peer)).close();
                boolean waited = System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(MAX_REOPEN_PAUSE_MILLIS);
                pause = waited ? 1 : Math.min(pause * 2, MAX_REOPEN_PAUSE_MILLIS);
                if (stopServing.await(pause, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the program exited (FifoPeerExitedException), or the FIFO closed (end(), exit hook)
        }
    }

    /** @return our end once the program has opened its end, or null if the wait was cancelled */
    private Channel awaitOpen() throws IOException {
        Channel channel;
        try {
            ProcessHandle peer;
            synchronized (lock) {
                peer = program;
            }
            // An output's open is released instead (release()): what the program wrote before exiting is delivered.
            channel = input ? fifo.openWriteChannel(UNTIL_ENDED, peer) : fifo.openReadChannel(UNTIL_ENDED);
        } catch (IOException e) {
            boolean cancelled;
            synchronized (lock) {
                // the program exited without opening the FIFO; or closed under us: by end()
                // (end()), or by the JVM's exit hook
                cancelled = state == State.CANCELLED || e instanceof FifoClosedException || e instanceof FifoPeerExitedException;
                if (cancelled) {
                    state = State.CANCELLED;
                }
            }
            if (cancelled) {
                return null;
            }
            closeFifo(); // nothing more can happen on it; ends a release() waiting for us
            throw e;
        }
        synchronized (lock) {
            switch (state) {
                case WAITING:
                    state = State.RUNNING;
                    return channel;
                case RELEASED:
                    state = State.RUNNING;
                    afterExit = true;
                    return channel;
                default: // CANCELLED: the open returned just as it was cancelled
                    break;
            }
        }
        channel.close();
        return null;
    }

    /**
     * After a {@link #release()}: what the program wrote before it exited.
     *
     * @return a stream of it, or null (and the channel closed) if it wrote nothing
     */
    static InputStream leftOver(Channel channel) throws IOException {
        PushbackInputStream data = new PushbackInputStream(Channels.newInputStream((ReadableByteChannel) channel), 1);
        try {
            int first = data.read();
            if (first >= 0) {
                data.unread(first);
                return data;
            }
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
        data.close();
        return null;
    }

    /** @return true if {@link #end()} came while the substitution was running */
    final boolean isEnding() {
        synchronized (lock) {
            return state == State.ENDING;
        }
    }

    final SubstitutionResult result(Outcome outcome, Throwable exception, Integer status) {
        return new SubstitutionResult(index, fifo.path(), description, outcome, exception, status);
    }

    /** @return the result, or null while running */
    SubstitutionResult result() {
        return result;
    }

    /** Waits at most {@code millis} (0: no limit) for the result; true if it is there. */
    boolean awaitDone(long millis) throws InterruptedException {
        if (millis == 0) {
            done.await();
            return true;
        }
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The program has exited. A wait still pending on an input FIFO ends by itself (the open
     * is tied to the program: {@link FifoPeerExitedException}); one on an output FIFO is
     * released, and delivers what the program wrote. Blocks only until this substitution's
     * thread is in its open (which it is, or is about to be: it does nothing else first).
     */
    void programExited() {
        stopServing.countDown();
        boolean serving;
        synchronized (lock) {
            serving = state == State.SERVING;
            if (!serving && (input || state != State.WAITING)) {
                return;
            }
            if (!serving) {
                state = State.RELEASED;
            }
        }
        if (serving) {
            closeFifo(); // ends our pending open at once: the program can no longer open it
        } else {
            release();
        }
    }

    /**
     * Opens the write end once, so that our pending read open returns (the kernel completes
     * both opens together; closing at once is fine). If our thread's open fails instead, the
     * thread closes the FIFO, which ends this wait.
     */
    private void release() {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    fifo.openWriteChannel(UNTIL_ENDED).close();
                    return;
                } catch (FifoTimeoutException e) {
                    return; // not within a year: not reached
                } catch (InterruptedIOException e) {
                    // the release is owed whatever the caller's interrupt (it may be in waitFor())
                    interrupted |= Thread.interrupted();
                } catch (IOException e) {
                    return; // closed meanwhile (end(), our thread gave up, exit hook): the wait ended another way
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Ends this substitution now: a pending wait is cancelled, a command is sent SIGTERM (with
     * its descendants), the Java side is interrupted. Returns without waiting.
     */
    void end() {
        stopServing.countDown();
        synchronized (lock) {
            switch (state) {
                case NEW, WAITING, RELEASED -> state = State.CANCELLED;
                case SERVING -> {
                    // our side is done: closing the FIFO below ends the wait for a re-open
                }
                case RUNNING -> {
                    state = State.ENDING;
                    if (thread != null) {
                        endRunning(thread);
                    }
                    return;
                }
                default -> {
                    return;
                }
            }
        }
        closeFifo(); // releases our pending open, and a release() in progress
    }

    /** Sends SIGKILL to what {@link #end()} sent SIGTERM to, if still running. */
    void kill() {
        killRunning();
    }

    /** Closes (removes) the FIFO; the first failure is kept for {@link #closeFailure()}. */
    final void closeFifo() {
        try {
            fifo.close();
        } catch (IOException e) {
            synchronized (lock) {
                if (closeFailure == null) {
                    closeFailure = e;
                }
            }
        }
    }

    /** @return why closing the FIFO failed, or null */
    final IOException closeFailure() {
        synchronized (lock) {
            return closeFailure;
        }
    }
}
