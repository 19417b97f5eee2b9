package io.github.tempfifo.testing;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads for tests compiled at {@code --release 17}: reached by reflection, present on
 * Java 21+ only (tests using them are skipped below 21).
 */
public final class VirtualThreads {
    private VirtualThreads() {
    }

    /** @return true if this JVM has virtual threads */
    public static boolean available() {
        return Runtime.version().feature() >= 21;
    }

    /** @return a factory of virtual threads named {@code prefix0, prefix1, …} */
    public static ThreadFactory factory(String prefix) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no virtual threads on Java " + Runtime.version(), e);
        }
    }

    /** Runs {@code task} on a new virtual thread made by {@code factory}; {@code started[0]} gets the thread. */
    public static <T> CompletableFuture<T> start(ThreadFactory factory, Async.Task<T> task, Thread[] started) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = factory.newThread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        if (started != null) {
            started[0] = t;
        }
        t.start();
        return result;
    }

    /** @return whether {@code t} is a virtual thread */
    public static boolean isVirtual(Thread t) {
        try {
            Method m = Thread.class.getMethod("isVirtual");
            return (boolean) m.invoke(t);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** The scheduler's parallelism as configured ({@code jdk.virtualThreadScheduler.parallelism}), or the CPU count. */
    public static int parallelism() {
        String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        return p != null ? Integer.parseInt(p) : Runtime.getRuntime().availableProcessors();
    }
}
