package io.github.tempfifo.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Tasks on test-owned threads (so that NoLeaks sees them end), and their expected failures. */
public final class Async {
    private Async() {
    }

    /** Work that may throw anything. */
    public interface Task<T> {
        T call() throws Exception;
    }

    /** Runs {@code task} on a new thread named "test-async". */
    public static <T> CompletableFuture<T> run(Task<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-async").start();
        return result;
    }

    /** Waits at most {@code seconds} for {@code f} to fail, and returns why; fails the test if it succeeds or hangs. */
    public static Throwable failureOf(CompletableFuture<?> f, long seconds) throws Exception {
        Object value;
        try {
            value = f.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure, got " + value);
    }
}
