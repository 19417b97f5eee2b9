package io.github.tempfifo.bench;

import io.github.tempfifo.TempFifo;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

/** {@link Compare}'s throughput measurements: bytes per second through a FIFO. */
final class StreamTimings {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private StreamTimings() {
    }

    /** Writer thread -> FIFO -> reader thread: a TempFifo, or ({@code plain}) a FIFO made by mkfifo and opened with java.io. */
    static double pipe(Path dir, long bytes, int chunk, int capacity, int cpuWriter, int cpuReader, boolean plain)
            throws Exception {
        // Warm up for the usual time (-Dbench.warmupMillis), as the other loops do: at several GiB/s
        // one pass of 256 MiB lasts some 30 ms, and a measurement right after it would time the
        // interpreter and the JIT compiling on the side, not the steady state.
        long count = Math.min(bytes, 256L << 20);
        Timing.warmUp(2, () -> pipeOnce(dir, count, chunk, capacity, cpuWriter, cpuReader, plain));
        return pipeOnce(dir, bytes, chunk, capacity, cpuWriter, cpuReader, plain);
    }

    private static double pipeOnce(Path dir, long bytes, int chunk, int capacity, int cpuWriter, int cpuReader,
            boolean plain) throws Exception {
        if (plain) {
            Path d = CreateTimings.mkfifoTheUsualWay(dir);
            Path fifo = d.resolve("fifo");
            try {
                return timeStreams(() -> new FileInputStream(fifo.toFile()), () -> new FileOutputStream(fifo.toFile()),
                        bytes, chunk, cpuWriter, cpuReader);
            } finally {
                Files.delete(fifo);
                Files.delete(d);
            }
        }
        try (TempFifo fifo = Streams.fifoBuilder(dir, capacity).create()) {
            return timeStreams(() -> fifo.openInputStream(WAIT), () -> fifo.openOutputStream(WAIT),
                    bytes, chunk, cpuWriter, cpuReader);
        }
    }

    private static double timeStreams(Callable<InputStream> readEnd, Callable<OutputStream> writeEnd, long bytes, int chunk,
            int cpuWriter, int cpuReader) throws Exception {
        CountDownLatch pinned = new CountDownLatch(1);
        CompletableFuture<Long> reader = thread(() -> {
            pin(cpuReader);
            pinned.countDown(); // taskset takes milliseconds: not part of the time
            try (InputStream in = readEnd.call()) {
                return Streams.drain(in, chunk);
            }
        });
        pin(cpuWriter);
        pinned.await();
        long t0 = System.nanoTime();
        try (OutputStream out = writeEnd.call()) {
            Streams.fill(out, bytes, chunk);
        }
        Streams.check(reader.get(), bytes);
        return bytes / ((System.nanoTime() - t0) / 1e9);
    }

    /** As {@link #pipe}, but the reader is a second JVM (the same java) running {@link #drainPath}. */
    static double jvmPipe(Path dir, long bytes, int chunk, int capacity, int cpuWriter, int cpuReader) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        double result = 0;
        for (int pass = 0; pass < 2; pass++) { // pass 0 warms up the writer
            long count = pass == 0 ? Math.min(bytes, 256L << 20) : bytes;
            try (TempFifo fifo = Streams.fifoBuilder(dir, capacity).create()) {
                Process reader = new ProcessBuilder(java, "-cp", classPath, Compare.class.getName(), "drainpath",
                        fifo.path().toString(), Integer.toString(chunk), Integer.toString(cpuReader))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                pin(cpuWriter);
                long t0;
                try (OutputStream out = fifo.openOutputStream(WAIT)) {
                    t0 = System.nanoTime(); // from the reader's arrival: its JVM start-up is not counted
                    Streams.fill(out, count, chunk);
                }
                String got = new BufferedReader(new InputStreamReader(reader.getInputStream())).readLine();
                long t1 = System.nanoTime();
                if (reader.waitFor() != 0 || got == null) {
                    throw new IOException("reader JVM failed");
                }
                Streams.check(Long.parseLong(got.trim()), count);
                result = count / ((t1 - t0) / 1e9);
            }
        }
        return result;
    }

    /** {@link #jvmPipe}'s reader: reads {@code fifo} to its end; returns the byte count. */
    static long drainPath(Path fifo, int chunk, int cpu) throws IOException, InterruptedException {
        pin(cpu);
        try (InputStream in = new FileInputStream(fifo.toFile())) {
            return Streams.drain(in, chunk);
        }
    }

    /** Many streams at once, on virtual or platform threads: total bytes/s. */
    static double pairs(Path dir, int n, long bytes, boolean virtual) throws Exception {
        // One executor for all passes, as a server has: the steady state, with warm thread pools
        // (the platform threads', and on virtual threads the pool that runs blocking opens).
        ExecutorService pool = Streams.threadPool(virtual);
        long warm = System.nanoTime() + Timing.WARMUP_NANOS;
        for (int pass = 0; ; pass++) { // warm-up passes of all the FIFOs, then one timed pass
            boolean warmingUp = pass < 2 || System.nanoTime() < warm;
            List<TempFifo> fifos = TempFifo.builder().directory(dir).create(n);
            try {
                long t0 = System.nanoTime();
                Streams.streamAll(pool, fifos, bytes, 65536, WAIT);
                double result = n * (double) bytes / ((System.nanoTime() - t0) / 1e9);
                if (!warmingUp) {
                    pool.shutdownNow();
                    return result;
                }
            } finally {
                for (TempFifo fifo : fifos) {
                    fifo.close();
                }
            }
        }
    }

    /** FILE -> TempFifo -> a reader process ({@code fifobench drain}): transferFrom, or ({@code stream}) a stream copy. */
    static double feed(Path dir, Path file, String drainProgram, int cpuWriter, int cpuReader, boolean stream)
            throws Exception {
        long size = Files.size(file);
        double result = 0;
        for (int pass = 0; pass < 2; pass++) {
            try (TempFifo fifo = TempFifo.builder().directory(dir).create()) {
                Process drain = new ProcessBuilder(drainProgram, "drain", fifo.path().toString(), "65536",
                        Integer.toString(cpuReader)).redirectErrorStream(true).start();
                pin(cpuWriter);
                long t0 = System.nanoTime();
                long sent;
                if (stream) {
                    try (InputStream in = Files.newInputStream(file); OutputStream out = fifo.openOutputStream(WAIT)) {
                        sent = in.transferTo(out);
                    }
                } else {
                    sent = fifo.transferFrom(file, WAIT);
                }
                String got = new String(drain.getInputStream().readAllBytes()).trim();
                if (drain.waitFor() != 0 || Long.parseLong(got) != size || sent != size) {
                    throw new IOException("drain read " + got + ", sent " + sent + ", size " + size);
                }
                result = size / ((System.nanoTime() - t0) / 1e9);
            }
        }
        return result;
    }

    private static <T> CompletableFuture<T> thread(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** Pins the calling thread to {@code cpu} (-1: leave it) with taskset on its thread id. */
    private static void pin(int cpu) throws IOException, InterruptedException {
        if (cpu < 0) {
            return;
        }
        String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // "PID/task/TID"
        String tid = self.substring(self.lastIndexOf('/') + 1);
        Process p = new ProcessBuilder("taskset", "-p", "-c", Integer.toString(cpu), tid)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("taskset failed for thread " + tid);
        }
    }
}
