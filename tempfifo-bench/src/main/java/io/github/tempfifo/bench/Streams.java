package io.github.tempfifo.bench;

import io.github.tempfifo.TempFifo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    /** FIFOs in {@code dir}, with a pipe of {@code capacity} bytes if it is positive, else the default. */
    public static TempFifo.Builder fifoBuilder(Path dir, int capacity) {
        TempFifo.Builder builder = TempFifo.builder().directory(dir);
        if (capacity > 0) {
            builder.pipeCapacity(capacity);
        }
        return builder;
    }

    /**
     * Streams {@code bytes} through each of {@code fifos} at once on {@code pool}: every writer
     * submitted before any reader; checks each reader's count.
     *
     * @return the bytes read in all
     */
    public static long streamAll(ExecutorService pool, List<TempFifo> fifos, long bytes, int chunk, Duration wait)
            throws Exception {
        List<Future<?>> writers = new ArrayList<>(fifos.size());
        List<Future<Long>> readers = new ArrayList<>(fifos.size());
        for (TempFifo fifo : fifos) {
            writers.add(pool.submit(() -> {
                try (OutputStream out = fifo.openOutputStream(wait)) {
                    fill(out, bytes, chunk);
                }
                return null;
            }));
        }
        for (TempFifo fifo : fifos) {
            readers.add(pool.submit(() -> {
                try (InputStream in = fifo.openInputStream(wait)) {
                    return drain(in, chunk);
                }
            }));
        }
        for (Future<?> w : writers) {
            w.get();
        }
        long total = 0;
        for (Future<Long> r : readers) {
            long got = r.get();
            check(got, bytes);
            total += got;
        }
        return total;
    }

    /** Fails unless the reader got every byte the writer sent: a measurement of lost data is no measurement. */
    public static void check(long got, long expected) throws IOException {
        if (got != expected) {
            throw new IOException("read " + got + " bytes, expected " + expected);
        }
    }
}
