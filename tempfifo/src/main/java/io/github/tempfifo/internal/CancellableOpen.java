package io.github.tempfifo.internal;

import io.github.tempfifo.FifoTimeoutException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One open of one end of a FIFO that a timeout, {@link Thread#interrupt()} or
 * closing its {@link Registry} releases promptly.
 *
 * <p>{@code open(2)} on a FIFO blocks until the other end opens, and a thread blocked in a system
 * call can't be interrupted from Java. Opening the <em>opposite</em> end ourselves makes the
 * blocked call return at once; holding that end until the opener has returned also covers a
 * wake-up that comes before the opener has entered {@code open(2)}. Extending
 * {@link AbstractInterruptibleChannel} is the public way to learn of {@code Thread.interrupt()}:
 * between {@code begin()} and {@code end()} an interrupt calls {@link #implCloseChannel()} on the
 * interrupting thread, which performs the wake-up.
 *
 * <p>On a virtual thread the open never holds the carrier: an end that can be opened without
 * waiting is opened at once ({@link FifoBackend.PendingOpen#openIfReady()}), and otherwise the
 * blocking {@code open(2)} runs on a {@link BlockingCallPool} platform thread while the virtual
 * thread parks. The same wake-up releases it, so timeouts, interrupts, cancels and descriptor
 * hygiene are exactly those of a platform thread.
 */
public final class CancellableOpen extends AbstractInterruptibleChannel {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private enum Cause { TIMEOUT, CANCELLED }

    static {
        // Load the failure path now: loading a class may need a descriptor (from a class
        // directory), and the failure may be that there are none left (EMFILE).
        Objects.requireNonNull(Cause.values());
        Objects.requireNonNull(FifoTimeoutException.class.getName());
        Objects.requireNonNull(FifoClosedException.class.getName());
        Objects.requireNonNull(Reserve.class.getName());
    }

    private final Path fifo;
    private final FifoBackend.PendingOpen pending;
    private volatile Cause cause;
    private volatile IOException cancelFailure; // what a CANCELLED open throws; null: "the TempFifo was closed"
    private final Object wakeLock = new Object();
    private boolean finished;          // guarded by wakeLock
    private Closeable wakeUp;          // guarded by wakeLock

    private CancellableOpen(Path fifo, FifoBackend.PendingOpen pending) {
        this.fifo = fifo;
        this.pending = pending;
    }

    /**
     * Opens one end of {@code fifo} (a name in {@code dir}, opened relative to it), waiting at
     * most {@code timeout} for the other end, and ended early when {@code cancelWhen} completes
     * with an exception value (e.g. a peer process's exit): the open then throws that exception.
     *
     * @param registry told of the open while it waits, so that {@link Registry#close()} can reach it
     * @param cancelWhen a stage that may complete with the failure to end the wait with; null
     *                   for none. Completing after the open has finished has no effect.
     */
    public static ByteChannel open(FifoBackend backend, FifoBackend.PrivateDirectory dir, Path fifo, boolean write,
                                   int pipeCapacity, Duration timeout, Registry registry,
                                   CompletionStage<? extends IOException> cancelWhen) throws IOException {
        Reserve.ensure();
        CancellableOpen open = new CancellableOpen(fifo, backend.prepareOpen(dir, fifo, write, pipeCapacity));
        try {
            if (!registry.add(open)) {
                throw closedException(fifo);
            }
            if (cancelWhen != null) {
                cancelWhen.thenAccept(failure -> {
                    if (failure != null) {
                        open.cancel(failure);
                    }
                });
            }
            try {
                return open.await(timeout);
            } finally {
                registry.remove(open);
            }
        } finally {
            open.pending.close();
        }
    }

    /**
     * Releases the open from any thread; it then throws {@code failure} (null: an exception
     * saying the FIFO was closed). Does nothing once the open has finished or was already ended
     * (by its timeout, an interrupt or an earlier cancel): the first cause wins.
     *
     * @param failure what the open throws
     */
    private void cancel(IOException failure) {
        synchronized (wakeLock) {
            if (finished || cause != null) {
                return;
            }
            cancelFailure = failure;
            cause = Cause.CANCELLED;
        }
        closeQuietly(this);
    }

    private ByteChannel await(Duration timeout) throws IOException {
        ScheduledFuture<?> timer = TIMER.schedule(this::timeOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        ByteChannel channel = null;
        IOException failure = null;
        boolean interrupted = false;
        try {
            begin(); // if already interrupted, this runs the wake-up at once
            try {
                if (isOpen()) {
                    channel = BlockingCallPool.onVirtualThread() ? awaitUnpinned() : pending.await();
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                try {
                    end(channel != null);
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                } catch (IOException e) {
                    // asynchronously closed: the cause field says why
                }
            }
        } finally {
            timer.cancel(false);
            synchronized (wakeLock) { // waits for a wake-up in progress on another thread
                finished = true;
            }
            closeQuietly(this);
            Closeable handle;
            synchronized (wakeLock) {
                handle = wakeUp;
                wakeUp = null;
            }
            closeQuietly(handle);
            Reserve.ensure();
        }
        if (interrupted || cause != null) {
            closeQuietly(channel);
            if (interrupted) {
                InterruptedIOException e = new InterruptedIOException(fifo + ": interrupted while waiting for the other end to open");
                if (failure != null) e.addSuppressed(failure);
                throw e;
            }
            if (cause == Cause.TIMEOUT) {
                throw new FifoTimeoutException(fifo, timeout);
            }
            IOException cancelled = cancelFailure;
            throw cancelled != null ? cancelled : closedException(fifo);
        }
        if (failure != null) {
            throw failure;
        }
        return channel;
    }

    /**
     * The wait of a virtual thread: the end at once if it can be opened without waiting, else
     * the blocking open on a platform thread while this one parks. An interrupt reaches the open
     * through {@code begin()}'s interruptor, as on a platform thread.
     */
    private ByteChannel awaitUnpinned() throws IOException {
        ByteChannel now = pending.openIfReady();
        return now != null ? now : BlockingCallPool.call(pending::await, null);
    }

    private void timeOut() {
        if (cause == null) {
            cause = Cause.TIMEOUT;
        }
        closeQuietly(this);
    }

    @Override
    protected void implCloseChannel() {
        wake(true);
    }

    /**
     * Opens the opposite end so that the waiting open returns. The wake-up needs a descriptor:
     * when there is none (EMFILE, e.g. the waiting open took the last one), the reserved one is
     * given up for it; failing that, it is retried every few milliseconds until it works or the
     * open has finished, so that a timeout, interrupt or close() is never lost.
     */
    private void wake(boolean first) {
        synchronized (wakeLock) {
            if (finished || wakeUp != null) {
                return;
            }
            try {
                wakeUp = pending.wakeUp();
                return;
            } catch (IOException e) {
                if (Reserve.release()) {
                    try {
                        wakeUp = pending.wakeUp();
                        return;
                    } catch (IOException again) {
                        e.addSuppressed(again);
                    }
                }
                if (first) {
                    FifoBackend.LOG.log(System.Logger.Level.WARNING, "could not release an open of " + fifo
                            + " yet; retrying until it can be", e);
                }
            }
        }
        TIMER.schedule(() -> wake(false), 10, TimeUnit.MILLISECONDS);
    }

    /**
     * One descriptor kept open (on {@code /dev/null}) for a wake-up to use when the process has
     * run out of them: as servers keep one for {@code accept(2)} at EMFILE.
     */
    private static final class Reserve {
        private static FileChannel held;
        private static volatile boolean present;

        static void ensure() {
            if (present) {
                return;
            }
            synchronized (Reserve.class) {
                if (held == null) {
                    try {
                        held = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ);
                        present = true;
                    } catch (IOException | RuntimeException e) {
                        // none to spare now: taken again after the next open
                    }
                }
            }
        }

        /** Closes the reserved descriptor; returns false if there was none. */
        static synchronized boolean release() {
            if (held == null) {
                return false;
            }
            present = false;
            closeQuietly(held);
            held = null;
            return true;
        }
    }

    /** @return the exception for an open of a closed TempFifo */
    public static FifoClosedException closedException(Path fifo) {
        return new FifoClosedException(fifo);
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing useful to do: the open has already failed or succeeded
            }
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tempfifo-open-timeout");
            t.setDaemon(true);
            return t;
        });
        // The thread exists only while some open is waiting (plus one idle second).
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** The opens waiting on one FIFO, so that closing the FIFO can release them. */
    public static final class Registry {
        private Set<CancellableOpen> opens; // created on first open: most FIFOs are opened once or twice
        private boolean closed;

        synchronized boolean add(CancellableOpen open) {
            if (closed) {
                return false;
            }
            if (opens == null) {
                opens = new HashSet<>(4);
            }
            opens.add(open);
            return true;
        }

        synchronized void remove(CancellableOpen open) {
            opens.remove(open);
        }

        /** Refuses new opens and releases the waiting ones; returns once each has been woken. */
        public void close() {
            List<CancellableOpen> waiting;
            synchronized (this) {
                closed = true;
                waiting = opens == null ? List.of() : new ArrayList<>(opens);
            }
            for (CancellableOpen open : waiting) { // a loop, not a method reference: no lambda class to spin on a JVM's first close()
                open.cancel(null);
            }
        }
    }
}
