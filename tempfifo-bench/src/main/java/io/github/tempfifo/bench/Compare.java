package io.github.tempfifo.bench;

import io.github.tempfifo.TempFifo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Java side of {@code bench/compare.sh}: one measurement per run, printed as one number on
 * stdout (nanoseconds per FIFO, or bytes per second). Each run warms up before it measures; the
 * script alternates competitors and rounds. Not a JMH benchmark: it measures what a program
 * sees (a cold-ish JVM loop, separate processes), the way the C and Python competitors run.
 *
 * <pre>
 * create DIR N                 TempFifo create+close, N times in 5 batches after a warm-up
 *                              (-Dbench.warmupMillis, 2000): the median batch's ns per FIFO
 * burst DIR N                  N creates held open at once, then N closes (repeated up to 20,000
 *                              FIFOs): median ns per FIFO (create+close)
 * batch DIR N                  Builder.create(N) then N closes: ns per FIFO
 * scale DIR N                  as burst, printing "createNs closeNs heapBytesPerOpenFifo"
 * pbmkfifo DIR N               Files.createTempDirectory + ProcessBuilder("mkfifo") + delete: ns per FIFO
 * pipe DIR BYTES CHUNK CAP CPUW CPUR
 *                              writer thread -> TempFifo -> reader thread, streams, CHUNK-byte
 *                              writes; CAP&gt;0: pipeCapacity(CAP); CPU -1 = not pinned: bytes/s
 * plainpipe DIR BYTES CHUNK CPUW CPUR
 *                              the same with a plain FileOutputStream/FileInputStream on a FIFO
 *                              made by ProcessBuilder("mkfifo"): bytes/s
 * jvmpipe DIR BYTES CHUNK CAP CPUW CPUR
 *                              as pipe, but the reader is a second JVM (the same java) reading the
 *                              path with a FileInputStream: bytes/s, until the reader has it all
 * drainpath FIFO CHUNK CPU     (that reader) reads FIFO to its end, prints the byte count
 * spawn - N                    ProcessBuilder("cat", "/dev/null"), start and wait: ns per run
 * psub bytes|command N         FifoProcessBuilder: cat FIFO, the FIFO fed by Java bytes or by
 *                              ProcessBuilder("echo", "hi"): ns per run
 * feed DIR FILE DRAIN CPUW CPUR
 *                              TempFifo.transferFrom(FILE) into a reader process DRAIN (fifobench): bytes/s
 * feedstream DIR FILE DRAIN CPUW CPUR
 *                              the same with Files.newInputStream(FILE).transferTo(openOutputStream): bytes/s
 * pairs DIR N BYTES virtual|platform
 *                              N FIFOs at once, each with a writer thread (streams, 64 KiB writes,
 *                              BYTES each) and a reader thread, writers submitted first, on virtual
 *                              threads (JDK 21+) or platform threads: total bytes/s
 * </pre>
 */
public final class Compare {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Loops warm up for at least this long (and half their count), so that the JIT is done. */
    private static final long WARMUP_NANOS = Long.getLong("bench.warmupMillis", 2000) * 1_000_000L;

    private Compare() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            usage();
        }
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "create" -> print(create(dir, Integer.parseInt(args[2])));
            case "burst" -> print(burst(dir, Integer.parseInt(args[2]), false)[0]);
            case "batch" -> print(batch(dir, Integer.parseInt(args[2])));
            case "scale" -> {
                double[] r = burst(dir, Integer.parseInt(args[2]), true);
                System.out.printf("%.1f %.1f %.0f%n", r[1], r[2], r[3]);
            }
            case "pbmkfifo" -> print(processBuilderMkfifo(dir, Integer.parseInt(args[2])));
            case "pipe" -> print(pipe(dir, Long.parseLong(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), false));
            case "plainpipe" -> print(pipe(dir, Long.parseLong(args[2]), Integer.parseInt(args[3]), 0,
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), true));
            case "jvmpipe" -> print(jvmPipe(dir, Long.parseLong(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6])));
            case "drainpath" -> { // DIR is the FIFO's path here
                pin(Integer.parseInt(args[3]));
                try (InputStream in = new java.io.FileInputStream(dir.toFile())) {
                    System.out.println(drain(in, Integer.parseInt(args[2])));
                }
            }
            case "spawn" -> print(medianAfterWarmup(Integer.parseInt(args[2]), () -> {
                Process p = new ProcessBuilder("cat", "/dev/null").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.waitFor();
            }));
            case "psub" -> print(medianAfterWarmup(Integer.parseInt(args[2]), () -> {
                try (io.github.tempfifo.FifoProcessBuilder pb = new io.github.tempfifo.FifoProcessBuilder()) {
                    Path in = args[1].equals("bytes") ? pb.inputFrom("hi\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            : pb.inputFrom(new ProcessBuilder("echo", "hi"));
                    pb.command("cat", in.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                    try (io.github.tempfifo.FifoProcess p = pb.start()) {
                        p.waitFor();
                    }
                }
            }));
            case "feed", "feedstream" -> print(feed(dir, Path.of(args[2]), args[3], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), args[0].equals("feedstream")));
            case "pairs" -> print(pairs(dir, Integer.parseInt(args[2]), Long.parseLong(args[3]), args[4].equals("virtual")));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: see the Javadoc of " + Compare.class.getName());
        System.exit(2);
    }

    private static void print(double value) {
        System.out.printf("%.1f%n", value);
    }

    // ---- create+close ----

    static double create(Path dir, int n) throws IOException {
        TempFifo.Builder builder = TempFifo.builder().directory(dir);
        long warm = System.nanoTime() + WARMUP_NANOS;
        for (int i = 0; i < n / 2 || System.nanoTime() < warm; i++) {
            builder.create().close();
        }
        return medianOfBatches(n, () -> builder.create().close());
    }

    /**
     * N creates held open at once, then N closes, repeated so that at least 20,000 FIFOs are
     * timed (small N); medians over the repeats.
     *
     * @return {ns per FIFO (create+close), create ns, close ns, heap bytes per open TempFifo}
     */
    static double[] burst(Path dir, int n, boolean heap) throws IOException {
        TempFifo.Builder builder = TempFifo.builder().directory(dir);
        long warm = System.nanoTime() + WARMUP_NANOS;
        for (int i = 0; i < 2000 || System.nanoTime() < warm; i++) {
            builder.create().close();
        }
        int repeats = Math.max(1, 20_000 / n);
        double[] create = new double[repeats];
        double[] close = new double[repeats];
        double heapPerFifo = 0;
        List<TempFifo> open = new ArrayList<>(n);
        for (int r = 0; r < repeats; r++) {
            boolean measureHeap = heap && r == 0;
            long before = measureHeap ? usedHeapAfterGc() : 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                open.add(builder.create());
            }
            long t1 = System.nanoTime();
            if (measureHeap) {
                heapPerFifo = (usedHeapAfterGc() - before) / (double) n;
            }
            long t2 = System.nanoTime();
            for (TempFifo f : open) {
                f.close();
            }
            long t3 = System.nanoTime();
            open.clear();
            create[r] = (t1 - t0) / (double) n;
            close[r] = (t3 - t2) / (double) n;
        }
        Arrays.sort(create);
        Arrays.sort(close);
        double cr = create[repeats / 2];
        double cl = close[repeats / 2];
        return new double[] {cr + cl, cr, cl, heapPerFifo};
    }

    static double batch(Path dir, int n) throws IOException {
        TempFifo.Builder builder = TempFifo.builder().directory(dir);
        for (TempFifo f : builder.create(Math.min(n, 2000))) { // warm up
            f.close();
        }
        long t0 = System.nanoTime();
        List<TempFifo> open = builder.create(n);
        for (TempFifo f : open) {
            f.close();
        }
        return (System.nanoTime() - t0) / (double) n;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} n times in 5 batches: the median batch's ns per step (as fifobench does). */
    static double medianOfBatches(int n, Step step) throws IOException {
        int per = Math.max(n / 5, 1);
        double[] batch = new double[5];
        try {
            for (int b = 0; b < 5; b++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < per; i++) {
                    step.run();
                }
                batch[b] = (System.nanoTime() - t0) / (double) per;
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        Arrays.sort(batch);
        return batch[2];
    }

    static double medianAfterWarmup(int n, Step step) throws Exception {
        long warm = System.nanoTime() + WARMUP_NANOS;
        for (int i = 0; i < n / 2 || System.nanoTime() < warm; i++) {
            step.run();
        }
        return medianOfBatches(n, step);
    }

    /** What Java users do today: a temp directory, then the mkfifo program. */
    static double processBuilderMkfifo(Path dir, int n) throws Exception {
        Step step = () -> {
            Path d = mkfifoTheUsualWay(dir);
            Files.delete(d.resolve("fifo"));
            Files.delete(d);
        };
        for (int i = 0; i < Math.max(n / 2, 1); i++) {
            step.run();
        }
        return medianOfBatches(n, step);
    }

    private static Path mkfifoTheUsualWay(Path dir) throws IOException, InterruptedException {
        Path d = Files.createTempDirectory(dir, "pb-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Process p = new ProcessBuilder("mkfifo", "-m", "600", d.resolve("fifo").toString()).start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo failed");
        }
        return d;
    }

    // ---- throughput ----

    static double pipe(Path dir, long bytes, int chunk, int capacity, int cpuWriter, int cpuReader, boolean plain)
            throws Exception {
        // Warm up for the usual time (-Dbench.warmupMillis), as the other loops do: at several GiB/s
        // one pass of 256 MiB lasts some 30 ms, and a measurement right after it would time the
        // interpreter and the JIT compiling on the side, not the steady state.
        long warm = System.nanoTime() + WARMUP_NANOS;
        for (int pass = 0; pass < 2 || System.nanoTime() < warm; pass++) {
            long count = Math.min(bytes, 256L << 20);
            if (plain) {
                plainPipeOnce(dir, count, chunk, cpuWriter, cpuReader);
            } else {
                pipeOnce(dir, count, chunk, capacity, cpuWriter, cpuReader);
            }
        }
        return plain ? plainPipeOnce(dir, bytes, chunk, cpuWriter, cpuReader)
                : pipeOnce(dir, bytes, chunk, capacity, cpuWriter, cpuReader);
    }

    private static double pipeOnce(Path dir, long bytes, int chunk, int capacity, int cpuWriter, int cpuReader)
            throws Exception {
        TempFifo.Builder builder = TempFifo.builder().directory(dir);
        if (capacity > 0) {
            builder.pipeCapacity(capacity);
        }
        try (TempFifo fifo = builder.create()) {
            java.util.concurrent.CountDownLatch pinned = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Long> reader = thread(() -> {
                pin(cpuReader);
                pinned.countDown(); // taskset takes milliseconds: not part of the time
                try (InputStream in = fifo.openInputStream(WAIT)) {
                    return drain(in, chunk);
                }
            });
            pin(cpuWriter);
            pinned.await();
            long t0 = System.nanoTime();
            try (OutputStream out = fifo.openOutputStream(WAIT)) {
                fill(out, bytes, chunk);
            }
            check(reader.get(), bytes);
            return bytes / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static double plainPipeOnce(Path dir, long bytes, int chunk, int cpuWriter, int cpuReader) throws Exception {
        Path d = mkfifoTheUsualWay(dir);
        Path fifo = d.resolve("fifo");
        try {
            java.util.concurrent.CountDownLatch pinned = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Long> reader = thread(() -> {
                pin(cpuReader);
                pinned.countDown(); // taskset takes milliseconds: not part of the time
                try (InputStream in = new java.io.FileInputStream(fifo.toFile())) {
                    return drain(in, chunk);
                }
            });
            pin(cpuWriter);
            pinned.await();
            long t0 = System.nanoTime();
            try (OutputStream out = new java.io.FileOutputStream(fifo.toFile())) {
                fill(out, bytes, chunk);
            }
            check(reader.get(), bytes);
            return bytes / ((System.nanoTime() - t0) / 1e9);
        } finally {
            Files.delete(fifo);
            Files.delete(d);
        }
    }

    static double jvmPipe(Path dir, long bytes, int chunk, int capacity, int cpuWriter, int cpuReader) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        double result = 0;
        for (int pass = 0; pass < 2; pass++) { // pass 0 warms up the writer
            long count = pass == 0 ? Math.min(bytes, 256L << 20) : bytes;
            TempFifo.Builder builder = TempFifo.builder().directory(dir);
            if (capacity > 0) {
                builder.pipeCapacity(capacity);
            }
            try (TempFifo fifo = builder.create()) {
                Process reader = new ProcessBuilder(java, "-cp", classPath, Compare.class.getName(), "drainpath",
                        fifo.path().toString(), Integer.toString(chunk), Integer.toString(cpuReader))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                pin(cpuWriter);
                long t0;
                try (OutputStream out = fifo.openOutputStream(WAIT)) {
                    t0 = System.nanoTime(); // from the reader's arrival: its JVM start-up is not counted
                    fill(out, count, chunk);
                }
                String got = new java.io.BufferedReader(new java.io.InputStreamReader(reader.getInputStream())).readLine();
                long t1 = System.nanoTime();
                if (reader.waitFor() != 0 || got == null) {
                    throw new IOException("reader JVM failed");
                }
                check(Long.parseLong(got.trim()), count);
                result = count / ((t1 - t0) / 1e9);
            }
        }
        return result;
    }

    private static void fill(OutputStream out, long bytes, int chunk) throws IOException {
        byte[] buf = new byte[chunk];
        Arrays.fill(buf, (byte) 'x');
        for (long left = bytes; left > 0; left -= chunk) {
            out.write(buf, 0, (int) Math.min(chunk, left));
        }
    }

    private static long drain(InputStream in, int chunk) throws IOException {
        byte[] buf = new byte[chunk];
        long total = 0;
        for (int r; (r = in.read(buf)) >= 0; ) {
            total += r;
        }
        return total;
    }

    private static void check(long got, long expected) throws IOException {
        if (got != expected) {
            throw new IOException("read " + got + " bytes, expected " + expected);
        }
    }

    // ---- many streams at once, on virtual or platform threads ----

    static double pairs(Path dir, int n, long bytes, boolean virtual) throws Exception {
        // One executor for all passes, as a server has: the steady state, with warm thread pools
        // (the platform threads', and on virtual threads the pool that runs blocking opens).
        java.util.concurrent.ExecutorService pool = virtual
                ? (java.util.concurrent.ExecutorService) java.util.concurrent.Executors.class
                        .getMethod("newVirtualThreadPerTaskExecutor").invoke(null) // JDK 21+; compiled for 17
                : java.util.concurrent.Executors.newCachedThreadPool();
        long warm = System.nanoTime() + WARMUP_NANOS;
        for (int pass = 0; ; pass++) { // warm-up passes of all the FIFOs, then one timed pass
            boolean warmingUp = pass < 2 || System.nanoTime() < warm;
            int count = n;
            List<TempFifo> fifos = TempFifo.builder().directory(dir).create(count);
            try {
                List<java.util.concurrent.Future<Long>> readers = new ArrayList<>(count);
                List<java.util.concurrent.Future<?>> writers = new ArrayList<>(count);
                long t0 = System.nanoTime();
                for (TempFifo fifo : fifos) {
                    writers.add(pool.submit(() -> {
                        try (OutputStream out = fifo.openOutputStream(WAIT)) {
                            fill(out, bytes, 65536);
                        }
                        return null;
                    }));
                }
                for (TempFifo fifo : fifos) {
                    readers.add(pool.submit(() -> {
                        try (InputStream in = fifo.openInputStream(WAIT)) {
                            return drain(in, 65536);
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> w : writers) {
                    w.get();
                }
                for (java.util.concurrent.Future<Long> r : readers) {
                    check(r.get(), bytes);
                }
                double result = count * (double) bytes / ((System.nanoTime() - t0) / 1e9);
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

    // ---- feeding a file ----

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

    // ---- helpers ----

    interface Task<T> {
        T run() throws Exception;
    }

    private static <T> CompletableFuture<T> thread(Task<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(task.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** Pins the calling thread to {@code cpu} (-1: leave it) with taskset on its thread id. */
    static void pin(int cpu) throws IOException, InterruptedException {
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
