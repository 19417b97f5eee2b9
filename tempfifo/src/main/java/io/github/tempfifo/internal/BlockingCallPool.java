package io.github.tempfifo.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a system call that may block for long (the {@code open(2)} of a FIFO, a read or write
 * the portable backend can't make non-blocking) on a platform thread, while the calling
 * virtual thread parks: a virtual thread blocked in a system call keeps its carrier, and with
 * as many such waits as carriers no other virtual thread runs, including the peer that would
 * end them.
 *
 * <p>The pool is elastic: one daemon thread per call in progress (with a small stack: the calls
 * are a few frames deep), kept one idle second for reuse, so no thread is left once nothing
 * waits. The blocking call itself must be released by other means (closing, the opposite-end
 * wake-up): the parked caller only waits for it to return, and a {@link Thread#interrupt()}
 * reaches it through {@code onInterrupt}.
 */
public final class BlockingCallPool {
    private static final long STACK_BYTES = 256 * 1024;
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = pool();

    private BlockingCallPool() {
    }

    /** A blocking call. */
    public interface Call<T> {
        /**
         * Makes the call.
         *
         * @return its result
         * @throws IOException as the call does
         */
        T call() throws IOException;
    }

    /** @return true if the current thread is a virtual thread (never on Java 17–20) */
    public static boolean onVirtualThread() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Runs {@code call} on a pool thread and parks until it returns. A {@link Thread#interrupt()}
     * of the caller while it waits runs {@code onInterrupt} (once, on the caller), which must make
     * the call return soon; the caller keeps waiting for it, and its interrupt status is set again
     * on return. If no thread can be started (the system is out of them), {@code call} runs on the
     * caller.
     *
     * @param onInterrupt what releases the call when the caller is interrupted; null if something
     *                    else does (e.g. an {@code AbstractInterruptibleChannel}'s interruptor)
     * @return what {@code call} returned
     * @throws IOException what {@code call} threw
     */
    public static <T> T call(Call<T> call, Runnable onInterrupt) throws IOException {
        Handoff<T> handoff = new Handoff<>(call, Thread.currentThread());
        try {
            POOL.execute(handoff);
        } catch (RejectedExecutionException | OutOfMemoryError noThread) {
            return call.call();
        }
        boolean interrupted = false;
        while (!handoff.done) {
            LockSupport.park(handoff);
            if (Thread.interrupted()) {
                if (!interrupted && onInterrupt != null) {
                    onInterrupt.run();
                }
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (handoff.failure != null) {
            Throwable f = handoff.failure;
            if (f instanceof IOException) {
                throw withCallerStack((IOException) f);
            }
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            }
            throw (Error) f;
        }
        return handoff.result;
    }

    /** The pool thread's exception, with the caller's stack added, so both show where it came from. */
    private static IOException withCallerStack(IOException e) {
        if (e instanceof InterruptedIOException || e.getClass().getName().startsWith("java.nio.channels.")) {
            return e; // types the caller tests for: keep them as they are
        }
        e.addSuppressed(new Exception("waited for on " + Thread.currentThread()));
        return e;
    }

    private static final class Handoff<T> implements Runnable {
        private final Call<T> call;
        private final Thread caller;
        private T result;
        private Throwable failure;
        private volatile boolean done;

        Handoff(Call<T> call, Thread caller) {
            this.call = call;
            this.caller = caller;
        }

        @Override
        public void run() {
            try {
                result = call.call();
            } catch (Throwable t) {
                failure = t;
            } finally {
                done = true;
                LockSupport.unpark(caller);
            }
        }
    }

    private static ThreadPoolExecutor pool() {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(null, r, "tempfifo-blocking-" + THREAD_NUMBER.incrementAndGet(), STACK_BYTES, false);
                    t.setDaemon(true);
                    t.setContextClassLoader(null); // made by any caller's thread: keep no application's loader reachable
                    return t;
                });
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // Java 17-20: no virtual threads
        }
    }
}
