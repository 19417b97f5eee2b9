package io.github.tempfifo.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fails a test that leaves behind a file descriptor or a thread it started: compares
 * /proc/self/fd and the live threads before and after each test, allowing a few seconds for
 * descriptors closed and threads ended asynchronously.
 *
 * <p>Threads that live as long as the JVM by design are ignored: the Cleaner's
 * ({@code tempfifo-cleaner}) and the JDK's virtual-thread scheduler. The open timer
 * ({@code tempfifo-open-timeout}), the pool that runs blocking opens for virtual threads
 * ({@code tempfifo-blocking-N}) and the poller ({@code tempfifo-poller}) end on their own after
 * one idle second, and so are waited for like any other.
 */
public final class NoLeaks implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeaks.class);
    private static final long SETTLE_MILLIS = 5_000;

    static {
        // tempfifo keeps one descriptor in reserve per JVM, opened with the first open of a FIFO
        // (CancellableOpen.Reserve): open it now, so that no test counts it as leaked.
        // Likewise the random source of names, which switches to the DRBG (and its seed files)
        // after the first names: draw enough names to get there.
        try {
            WarmUp.openBothEnds();
            java.lang.reflect.Method newName = Class.forName("io.github.tempfifo.internal.PrivateDirectoryName")
                    .getMethod("newName", String.class, Class.forName("io.github.tempfifo.internal.Owner"));
            for (int i = 0; i < 64; i++) {
                newName.invoke(null, "", null);
            }
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("fds", Fds.count());
        context.getStore(NS).put("threads", threadIds());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        int before = context.getStore(NS).get("fds", Integer.class);
        @SuppressWarnings("unchecked")
        Set<Long> threadsBefore = context.getStore(NS).get("threads", Set.class);
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        int after;
        Set<Thread> newThreads;
        do {
            after = Fds.count();
            newThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !threadsBefore.contains(t.getId()))
                    .filter(t -> t.isAlive() && !isExempt(t))
                    .collect(Collectors.toSet());
            if (after <= before && newThreads.isEmpty()) {
                return;
            }
            Fds.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        if (after > before) {
            throw new AssertionError("file descriptors leaked: " + before + " before, " + after + " after: " + Fds.describe());
        }
        throw new AssertionError("threads leaked: " + newThreads.stream()
                .map(t -> t.getName() + Arrays.toString(t.getStackTrace())).collect(Collectors.joining("\n")));
    }

    private static boolean isExempt(Thread t) {
        String name = t.getName();
        return name.equals("tempfifo-cleaner")
                || name.startsWith("process reaper") // the JDK's, reused across processes
                || name.startsWith("Common-Cleaner")
                || name.startsWith("ForkJoinPool.commonPool")
                || name.equals("CompletableFutureDelayScheduler") // the JDK's, for delayed stages (peer-tied opens)
                || name.startsWith("Attach Listener")
                || name.startsWith("surefire-forkedjvm")
                || name.startsWith("junit-")
                // the JDK's virtual-thread scheduler: carriers and the unblocker live on between tests
                || t.getClass().getName().equals("jdk.internal.misc.CarrierThread")
                || name.equals("VirtualThread-unblocker")
                || (name.startsWith("ForkJoinPool-") && name.endsWith("-delayScheduler"));
    }

    private static Set<Long> threadIds() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
    }
}
