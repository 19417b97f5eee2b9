package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Grows a pipe that a writer found full ({@code F_SETPIPE_SZ}), once per write end, when no
 * {@code pipeCapacity} was asked for: a bigger pipe lets the writer run longer before it must
 * wait, and the reader drain more per wake-up.
 *
 * <p>Pipe buffers are kernel memory charged to the user: past
 * {@code /proc/sys/fs/pipe-user-pages-soft} (64 MiB by default) the kernel gives <em>every</em>
 * new pipe of that user, in any program, just 2 pages. So the JVM keeps a budget of one eighth of
 * that limit (at most 8 MiB) for grown pipes, takes {@link #TARGET_BYTES} from it per pipe and
 * gives it back when the end closes; with the budget spent, or when the kernel refuses, the pipe
 * keeps its size, silently.
 */
final class PipeGrowth {
    /** What a full pipe grows to (bounded by {@code /proc/sys/fs/pipe-max-size}). */
    static final long TARGET_BYTES = 1 << 20;
    private static final long PAGE = 4096;
    private static final long TARGET = Math.min(TARGET_BYTES, readLong("/proc/sys/fs/pipe-max-size", TARGET_BYTES));
    private static final long BUDGET_BYTES = budget(readLong("/proc/sys/fs/pipe-user-pages-soft", 16384));
    private static final AtomicLong USED = new AtomicLong();

    private PipeGrowth() {
    }

    /**
     * Grows the pipe of {@code fd} to {@link #TARGET_BYTES} if it is smaller and the budget allows.
     *
     * @return the bytes taken from the budget (give them back with {@link #release(long)} when
     *         {@code fd} closes), or 0 if the pipe kept its size
     */
    static long grow(int fd) {
        if (TARGET <= 64 * 1024) {
            return 0;
        }
        long used;
        do {
            used = USED.get();
            if (used + TARGET > BUDGET_BYTES) {
                return 0;
            }
        } while (!USED.compareAndSet(used, used + TARGET));
        boolean grown = false;
        try {
            int current = NativeCall.run(null, call -> (int) Libc.Fcntl.HANDLE.invokeExact(call.errno(), fd, Libc.F_GETPIPE_SZ, 0));
            if (current > 0 && current < TARGET) {
                int r = NativeCall.run(null, call -> (int) Libc.Fcntl.HANDLE.invokeExact(call.errno(), fd, Libc.F_SETPIPE_SZ, (int) TARGET));
                grown = r >= TARGET;
            }
        } catch (IOException | RuntimeException e) {
            // refused (EPERM past the user's limit, EBUSY…): the pipe keeps its size
        }
        if (!grown) {
            USED.addAndGet(-TARGET);
            return 0;
        }
        return TARGET;
    }

    /** Gives back what {@link #grow(int)} took, once the end that grew the pipe is closed. */
    static void release(long bytes) {
        if (bytes > 0) {
            USED.addAndGet(-bytes);
        }
    }

    private static long budget(long softPages) {
        long eighth = softPages > 0 ? softPages * PAGE / 8 : Long.MAX_VALUE; // 0: no soft limit
        return Math.min(eighth, 8L << 20);
    }

    private static long readLong(String file, long otherwise) {
        try {
            // readAllLines, not readString: on /proc, whose files say they are empty, readString
            // returns a single byte
            return Long.parseLong(Files.readAllLines(Path.of(file)).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return otherwise;
        }
    }
}
