package io.github.tempfifo;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A program started by {@link FifoProcessBuilder#start()}, with its substitutions.
 *
 * <p>When the program exits (seen by a pooled watcher thread, or by a platform thread in
 * {@link #waitFor()}, whichever is first), the substitutions are wound down: those
 * whose FIFO was never opened end at once, output substitutions run until they have consumed
 * what the program wrote (a command, until it exits), input substitutions still running get
 * one second, then are ended (a command and its descendants get SIGTERM, then SIGKILL a second
 * later; a Java writer is interrupted). Then every FIFO is removed. All of this happens whether
 * or not anyone calls {@link #waitFor()}; no process, file descriptor or file is left, and no
 * thread is still working, once {@link #waitFor()} has returned or {@link #close()} has been
 * called. Substitutions and watchers run on a pool of daemon threads, each of which ends after
 * one idle second.
 */
public final class FifoProcess implements Closeable {
    private static final long INPUT_GRACE_MILLIS = 1_000;
    private static final long KILL_GRACE_MILLIS = 1_000;
    /** How long close() waits for Java code that ignores interrupts, before giving up on it. */
    private static final long CLOSE_JOIN_MILLIS = 5_000;

    /**
     * The threads that serve substitutions and wait for programs: pooled, so that a short run
     * starts no thread of its own; an idle one ends after a second.
     */
    static final ExecutorService WORKERS = workers();

    private final Process process;
    private final List<Substitution> substitutions;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean exitSeen = new AtomicBoolean();
    /** Not a monitor: close() waits while holding it, which would pin a virtual thread up to JDK 23. */
    private final java.util.concurrent.locks.ReentrantLock closeLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean closing;
    private volatile int exitStatus;
    private volatile List<SubstitutionResult> results;
    private volatile IOException removalFailure;

    FifoProcess(Process process, List<Substitution> substitutions) {
        this.process = process;
        this.substitutions = List.copyOf(substitutions);
        for (Substitution s : this.substitutions) {
            s.start(process.toHandle());
        }
        WORKERS.execute(this::watch);
    }

    /**
     * Returns the program's {@link Process}, e.g. to write to its standard input or read its
     * output when they are pipes.
     *
     * @return the program's process
     */
    public Process process() {
        return process;
    }

    /**
     * Waits for the program to exit and its substitutions to finish (see the class description),
     * with no time limit; the FIFOs are then removed. Does not pin a virtual thread's carrier:
     * a virtual thread parks while it waits.
     *
     * @return the program's exit status (128 + N if it was killed by signal N, as in a shell)
     * @throws InterruptedException  if this thread is interrupted while waiting (nothing is
     *                               ended: call {@link #close()} for that)
     * @throws SubstitutionException if the Java side of a substitution threw; the status and all
     *                               results are still available from {@link #exitStatus()} and
     *                               {@link #results()}
     * @throws IOException           if a FIFO could not be removed
     */
    public int waitFor() throws InterruptedException, IOException {
        if (!isDone() && !io.github.tempfifo.internal.BlockingCallPool.onVirtualThread()) {
            // Learn of the exit here too: whoever sees it first winds down, and a short run
            // then needs no hand-over from the watcher to this thread. Not on a virtual thread:
            // up to JDK 23 Process.waitFor() holds its carrier (synchronized + Object.wait).
            programExited(process.waitFor(), false);
        }
        finished.await();
        return report();
    }

    /**
     * As {@link #waitFor()}, waiting at most {@code timeout}. Does not pin a virtual thread's
     * carrier.
     *
     * @param timeout how long to wait
     * @return true if the program and its substitutions finished; false if the time ran out
     * @throws InterruptedException  if this thread is interrupted while waiting
     * @throws SubstitutionException as {@link #waitFor()}
     * @throws IOException           as {@link #waitFor()}
     */
    public boolean waitFor(Duration timeout) throws InterruptedException, IOException {
        if (!finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        report();
        return true;
    }

    /**
     * Tells whether the program and all its substitutions have finished.
     *
     * @return true once {@link #waitFor()} would return without blocking
     */
    public boolean isDone() {
        return finished.getCount() == 0;
    }

    /**
     * Returns the program's exit status. Does not block.
     *
     * @return the exit status, as {@link #waitFor()}
     * @throws IllegalStateException if not {@linkplain #isDone() done}
     */
    public int exitStatus() {
        requireDone();
        return exitStatus;
    }

    /**
     * Returns how each substitution ended. Does not block.
     *
     * @return the results, in registration order ({@code results().get(0)} is FIFO 1)
     * @throws IllegalStateException if not {@linkplain #isDone() done}
     */
    public List<SubstitutionResult> results() {
        requireDone();
        return results;
    }

    /**
     * Ends the program (SIGTERM to it and its descendants, SIGKILL a second later) if it is still
     * running, and every substitution (as when the program exits, but at once: output
     * substitutions too), then removes the FIFOs. Blocks until that is done: about a second at
     * most, plus up to five seconds for Java code that ignores interrupts (its thread is then
     * abandoned). Idempotent and thread-safe; does nothing more once {@link #waitFor()} has returned.
     *
     * @throws IOException if a FIFO could not be removed
     */
    @Override
    public void close() throws IOException {
        closeLock.lock();
        try {
            if (!isDone()) {
                closing = true;
                List<ProcessHandle> signalled = process.isAlive() ? ProcessTrees.terminate(process.toHandle()) : List.of();
                substitutions.forEach(Substitution::end);
                boolean interrupted = false;
                try {
                    if (!finished.await(KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                        ProcessTrees.kill(signalled);
                        substitutions.forEach(Substitution::kill);
                        finished.await(CLOSE_JOIN_MILLIS, TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (!isDone()) {
                    removeFifos(); // the watcher is stuck on Java code that ignores interrupts
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            closeLock.unlock();
        }
        if (removalFailure != null) {
            throw removalFailure;
        }
    }

    private void watch() {
        programExited(ProcessTrees.waitForUninterruptibly(process), true);
    }

    /**
     * Runs once, on the watcher or on a platform thread in {@link #waitFor()}, whichever sees the exit
     * first: tells each substitution, and finishes at once if they are all done; otherwise the
     * {@link #windDown()} (which may wait seconds) runs here if {@code mayBlock}, else on a worker.
     */
    private void programExited(int status, boolean mayBlock) {
        if (!exitSeen.compareAndSet(false, true)) {
            return;
        }
        exitStatus = status;
        boolean allDone = true;
        for (Substitution s : substitutions) {
            s.programExited();
            allDone &= s.result() != null;
        }
        if (allDone) {
            finish();
        } else if (mayBlock) {
            windDown();
        } else {
            WORKERS.execute(this::windDown);
        }
    }

    /**
     * Waits for the substitutions: output ones as long as they run, input ones one second, then
     * they are ended, then killed a second later.
     */
    private void windDown() {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INPUT_GRACE_MILLIS);
            List<Substitution> ended = new ArrayList<>();
            for (Substitution s : substitutions) {
                if (s.input && !s.awaitDone(millisLeft(deadline))) {
                    s.end();
                    ended.add(s);
                }
            }
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_GRACE_MILLIS);
            for (Substitution s : ended) {
                if (!s.awaitDone(millisLeft(deadline))) {
                    s.kill();
                }
            }
            for (Substitution s : substitutions) {
                s.awaitDone(0);
            }
        } catch (InterruptedException e) {
            // not interrupted by anyone: the thread is ours
        } finally {
            finish();
        }
    }

    /** Records the results, removes the FIFOs and releases {@link #waitFor()}. */
    private void finish() {
        List<SubstitutionResult> list = new ArrayList<>(substitutions.size());
        for (Substitution s : substitutions) {
            SubstitutionResult r = s.result();
            list.add(r != null ? r : s.result(SubstitutionResult.Outcome.FAILED, new IOException("did not stop when ended"), null));
        }
        results = List.copyOf(list);
        removeFifos();
        finished.countDown();
    }

    private static ExecutorService workers() {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "tempfifo-substitution");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the milliseconds left until {@code deadlineNanos}, at least 1 (0 would mean no limit) */
    private static long millisLeft(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private void removeFifos() {
        for (Substitution s : substitutions) {
            s.closeFifo();
            IOException e = s.closeFailure();
            if (e != null && removalFailure == null) {
                removalFailure = e;
            }
        }
    }

    private int report() throws IOException {
        if (removalFailure != null) {
            throw removalFailure;
        }
        SubstitutionException failure = null;
        for (SubstitutionResult r : results) {
            if (r.failed() && r.exception().isPresent() && !isCommand(r)) {
                if (failure == null) {
                    failure = new SubstitutionException("substitution " + r, r.exception().get(), results);
                } else {
                    failure.addSuppressed(r.exception().get());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return exitStatus;
    }

    private boolean isCommand(SubstitutionResult r) {
        return substitutions.get(r.index() - 1).isCommand();
    }

    private void requireDone() {
        if (!isDone()) {
            throw new IllegalStateException("the program or its substitutions are still running");
        }
    }

    /**
     * Describes the program.
     *
     * @return the pid and the substitutions
     */
    @Override
    public String toString() {
        return "FifoProcess[pid=" + process.pid() + ", " + substitutions.size() + " substitutions"
                + (closing ? ", closing" : "") + "]";
    }
}
