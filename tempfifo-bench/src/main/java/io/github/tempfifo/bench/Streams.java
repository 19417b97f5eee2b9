package io.github.tempfifo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The writer's and the reader's loops every throughput measurement runs, in JMH and in {@link Compare}. */
public final class Streams {
    private Streams() {
    }

    /** Writes {@code bytes} bytes to {@code out} in {@code chunk}-byte writes (the last one may be shorter). */
    public static void fill(OutputStream out, long bytes, int chunk) throws IOException {
        byte[] buf = new byte[chunk];
        Arrays.fill(buf, (byte) 'x');
        for (long left = bytes; left > 0; left -= chunk) {
            out.write(buf, 0, (int) Math.min(chunk, left));
        }
    }

    /** Reads {@code in} to its end in {@code chunk}-byte reads; returns the number of bytes read. */
    public static long drain(InputStream in, int chunk) throws IOException {
        byte[] buf = new byte[chunk];
        long total = 0;
        for (int r; (r = in.read(buf)) >= 0; ) {
            total += r;
        }
        return total;
    }

    /**
     * The pool that many streams at once run on: a thread per task, virtual (JDK 21+; this module
     * is compiled for 17, hence the reflective call) or platform threads (a cached pool).
     */
    public static ExecutorService threadPool(boolean virtual) throws ReflectiveOperationException {
        return virtual
                ? (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null)
                : Executors.newCachedThreadPool();
    }

    /** Fails unless the reader got every byte the writer sent: a measurement of lost data is no measurement. */
    public static void check(long got, long expected) throws IOException {
        if (got != expected) {
            throw new IOException("read " + got + " bytes, expected " + expected);
        }
    }
}
