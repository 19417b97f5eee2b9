package io.github.tempfifo;

import io.github.tempfifo.testing.Async;
import io.github.tempfifo.testing.NoLeaks;
import io.github.tempfifo.testing.VirtualThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Virtual threads waiting on FIFOs hold no carrier (issue 8). Run with few carriers
 * ({@code -Djdk.virtualThreadScheduler.parallelism=2}, see the pom's {@code virtual-threads-*}
 * executions) on both backends: a wait that held its carrier would stop every other virtual
 * thread, so each test proves it by letting many virtual threads wait and then needing another
 * one (or their peers) to run. A parked virtual thread is {@code WAITING}; one held in a system
 * call would be {@code RUNNABLE}, which the tests also check.
 *
 * <p>Time limits are about hanging, not speed.
 */
@ExtendWith(NoLeaks.class)
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadTest {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final int WAITERS = 200;
    private static final byte[] BLOCK = pattern(64 * 1024, 42);

    @TempDir
    Path base;
    private final List<TempFifo> fifos = new ArrayList<>();
    private final ThreadFactory virtual = VirtualThreads.factory("vt-test-");

    @BeforeAll
    static void fewCarriers() {
        System.out.println("VirtualThreadTest: backend " + TempFifo.backend() + ", parallelism "
                + VirtualThreads.parallelism() + ", Java " + Runtime.version());
    }

    @AfterEach
    void closeAll() throws IOException {
        for (TempFifo f : fifos) {
            f.close();
        }
        try (var entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
    }

    private List<TempFifo> create(int count) throws IOException {
        List<TempFifo> made = TempFifo.builder().directory(base).create(count);
        fifos.addAll(made);
        return made;
    }

    private <T> CompletableFuture<T> onVirtualThread(Async.Task<T> task) {
        return VirtualThreads.start(virtual, task, null);
    }

    @Test
    void twoHundredWaitingOpensLeaveTheCarriersFree() throws Exception {
        List<TempFifo> waiting = create(WAITERS);
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<Object>> opens = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            TempFifo f = waiting.get(i);
            boolean write = i % 2 == 0;
            Thread[] t = new Thread[1];
            opens.add(VirtualThreads.start(virtual, () -> write ? f.openOutputStream(LONG) : f.openInputStream(LONG), t));
            threads.add(t[0]);
        }
        awaitAllParked(threads);

        // With every wait holding a carrier, this would not run before the opens time out.
        assertThat(onVirtualThread(() -> "ran").get(30, TimeUnit.SECONDS)).isEqualTo("ran");

        for (TempFifo f : waiting) {
            f.close();
        }
        for (CompletableFuture<Object> open : opens) {
            assertThat(Async.failureOf(open, 30)).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void thousandPairsOfStreamsWritersFirst() throws Exception {
        stream(1_000, 1 << 20, true, false);
    }

    @Test
    void twoThousandPairsOfChannelsReadersFirst() throws Exception {
        stream(2_000, 64 * 1024, false, true);
    }

    /**
     * A virtual reader waiting for a writer, and a writer program that opens, writes and exits
     * meanwhile: every byte arrives, then the end of the stream (the writer never met a FIFO
     * without a reader: it would have died of SIGPIPE).
     */
    @Test
    void aWriterProgramThatComesWhileAVirtualReaderWaitsDeliversEverything() throws Exception {
        TempFifo f = create(1).get(0);
        Thread[] t = new Thread[1];
        CompletableFuture<String> read = VirtualThreads.start(virtual, () -> {
            try (InputStream in = f.openInputStream(LONG)) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            }
        }, t);
        awaitAllParked(List.of(t[0]));
        Process writer = new ProcessBuilder("sh", "-c", "printf 'data from a program' > \"$1\"", "sh", f.path().toString()).start();
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).isZero();
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo("data from a program");
    }

    /**
     * Issue 8's size: 10,000 virtual threads on 5,000 FIFOs, two per FIFO, all opening and
     * streaming at once. While both ends open, a FIFO can hold five descriptors at once (its
     * private directory, an {@code O_PATH} handle per end, the two ends), so this needs about
     * 27,000: when the hard descriptor limit is lower (20,000 on the machine this was written on)
     * and the test may (root with {@code CAP_SYS_RESOURCE}), it raises its own JVM's {@code RLIMIT_NOFILE} with
     * {@code prlimit(1)} for the case and restores it once every FIFO is closed. (The kernel checks
     * the limit at each allocation; the JDK reads it only to size an epoll event array, capped at
     * 1,024.) If the limit can't be raised, it runs as many FIFOs as fit and says so loudly.
     * Prints the time, the peak RSS of this JVM during the run and the peak number of OS threads.
     */
    @Test
    void thousandsOfThreadsOnThousandsOfFifos() throws Exception {
        int wanted = 5_000;
        long needed = wanted * 5L + 2_000;
        long[] previous = fdLimits();
        boolean raised = false;
        if (previous[1] < needed) {
            raised = setFdLimits(65_536, 65_536);
            if (!raised) {
                String msg = "VirtualThreadTest: ASSUMPTION NOT MET: issue 8's size (5,000 FIFOs, 10,000 virtual threads)"
                        + " needs a descriptor limit of about " + needed + "; the hard limit is " + previous[1]
                        + " and could not be raised (needs /usr/bin/prlimit and CAP_SYS_RESOURCE, which root lacks in some containers): running as many FIFOs as fit";
                System.out.println(msg);
                System.err.println(msg);
            }
        }
        try {
            int count = (int) Math.min(wanted, (fdLimits()[1] - 2_000) / 5);
            if (count < wanted) {
                String msg = "VirtualThreadTest: ASSUMPTION NOT MET: ran " + count + " FIFOs / " + 2 * count
                        + " virtual threads, not issue 8's 5,000 / 10,000 (descriptor limit " + fdLimits()[1] + ")";
                System.out.println(msg);
                System.err.println(msg);
            } else if (raised) {
                System.out.println("VirtualThreadTest: descriptor limit raised from " + previous[0] + ":" + previous[1]
                        + " to 65536:65536 for this case");
            }
            streamAtFullSize(count);
            // Close the FIFOs before restoring the limit.
            closeAll(fifos);
            fifos.clear();
        } finally {
            if (raised && !setFdLimits(previous[0], previous[1])) {
                throw new AssertionError("could not restore the descriptor limit " + previous[0] + ":" + previous[1]);
            }
        }
        if (raised) {
            assertThat(fdLimits()).containsExactly(previous);
        }
    }

    private void streamAtFullSize(int count) throws Exception {
        System.gc();
        boolean resetPeak = resetPeakRss();
        java.util.concurrent.atomic.AtomicLong peakThreads = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                try {
                    peakThreads.accumulateAndGet(statusField("Threads:"), Math::max);
                    Thread.sleep(10);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "test-thread-sampler");
        sampler.start();
        long start = System.nanoTime();
        try {
            stream(count, 256 * 1024, true, false);
        } finally {
            running.set(false);
            sampler.join();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("VirtualThreadTest: %,d virtual threads, %,d FIFOs x 256 KiB, writers first (%s backend):"
                        + " %d ms, peak RSS %d MiB%s, peak OS threads %d%n", 2 * count, count, TempFifo.backend(), millis,
                statusField("VmHWM:") / 1024, resetPeak ? " (during the run)" : " (since JVM start)", peakThreads.get());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void interruptReleasesAVirtualThreadWaitingInAnOpen(boolean write) throws Exception {
        TempFifo f = create(1).get(0);
        Thread[] t = new Thread[1];
        CompletableFuture<Object> open = VirtualThreads.start(virtual,
                () -> write ? f.openOutputStream(LONG) : f.openInputStream(LONG), t);
        awaitAllParked(List.of(t[0]));
        t[0].interrupt();
        assertThat(Async.failureOf(open, 30)).isInstanceOf(InterruptedIOException.class)
                .isNotInstanceOf(FifoTimeoutException.class);
    }

    @Test
    void peerExitEndsVirtualThreadsWaitingInPeerTiedOpens() throws Exception {
        int count = 50;
        List<TempFifo> waiting = create(count);
        List<Process> peers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<Object>> opens = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                TempFifo f = waiting.get(i);
                Process peer = new ProcessBuilder("sh", "-c", "read x").start(); // exits when its stdin closes
                peers.add(peer);
                boolean write = i % 2 == 0;
                Thread[] t = new Thread[1];
                opens.add(VirtualThreads.start(virtual, () -> write
                        ? f.openOutputStream(LONG, peer.toHandle()) : f.openInputStream(LONG, peer.toHandle()), t));
                threads.add(t[0]);
            }
            awaitAllParked(threads);
            assertThat(onVirtualThread(() -> "ran").get(30, TimeUnit.SECONDS)).isEqualTo("ran");
            for (Process peer : peers) {
                peer.getOutputStream().close();
            }
            for (CompletableFuture<Object> open : opens) {
                assertThat(Async.failureOf(open, 30)).isInstanceOf(FifoPeerExitedException.class);
            }
        } finally {
            for (Process peer : peers) {
                peer.destroyForcibly().waitFor();
                peer.getInputStream().close();
                peer.getErrorStream().close();
            }
        }
    }

    @Test
    void timeoutEndsAVirtualThreadWaitingInAnOpen() throws Exception {
        TempFifo f = create(1).get(0);
        CompletableFuture<Object> open = onVirtualThread(() -> f.openInputStream(Duration.ofMillis(200)));
        assertThat(Async.failureOf(open, 30)).isInstanceOf(FifoTimeoutException.class);
    }

    @Test
    void closingStreamsReleasesVirtualThreadsBlockedInRead() throws Exception {
        List<TempFifo> pipes = create(WAITERS);
        List<OutputStream> writers = new ArrayList<>();
        List<InputStream> readers = new ArrayList<>();
        try {
            for (TempFifo f : pipes) {
                CompletableFuture<InputStream> in = onVirtualThread(() -> f.openInputStream(LONG));
                writers.add(f.openOutputStream(LONG));
                readers.add(in.get(30, TimeUnit.SECONDS));
            }
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            for (InputStream in : readers) {
                Thread[] t = new Thread[1];
                reads.add(VirtualThreads.start(virtual, in::read, t));
                threads.add(t[0]);
            }
            awaitAllParked(threads);
            assertThat(onVirtualThread(() -> "ran").get(30, TimeUnit.SECONDS)).isEqualTo("ran");
            for (InputStream in : readers) {
                in.close();
            }
            for (CompletableFuture<Integer> read : reads) {
                assertThat(Async.failureOf(read, 30)).isInstanceOf(AsynchronousCloseException.class);
            }
        } finally {
            closeAll(readers);
            closeAll(writers);
        }
    }

    @Test
    void interruptReleasesVirtualThreadsBlockedInWrite() throws Exception {
        List<TempFifo> pipes = create(WAITERS);
        List<WritableByteChannel> writers = new ArrayList<>();
        List<ReadableByteChannel> readers = new ArrayList<>();
        try {
            for (TempFifo f : pipes) {
                CompletableFuture<WritableByteChannel> out = onVirtualThread(() -> f.openWriteChannel(LONG));
                readers.add(f.openReadChannel(LONG));
                writers.add(out.get(30, TimeUnit.SECONDS));
            }
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Object>> writes = new ArrayList<>();
            for (WritableByteChannel out : writers) {
                Thread[] t = new Thread[1];
                writes.add(VirtualThreads.start(virtual, () -> {
                    while (true) { // fills the pipe, then blocks: no one reads
                        out.write(ByteBuffer.allocate(64 * 1024));
                    }
                }, t));
                threads.add(t[0]);
            }
            awaitAllParked(threads);
            assertThat(onVirtualThread(() -> "ran").get(30, TimeUnit.SECONDS)).isEqualTo("ran");
            threads.forEach(Thread::interrupt);
            for (CompletableFuture<Object> write : writes) {
                // ClosedByInterruptException, or (after a partial write, which a FileChannel
                // reports as such) ClosedChannelException from the next write
                assertThat(Async.failureOf(write, 30)).isInstanceOf(ClosedChannelException.class);
            }
            for (WritableByteChannel out : writers) {
                assertThat(out.isOpen()).isFalse();
            }
        } finally {
            closeAll(readers);
            closeAll(writers);
        }
    }

    @Test
    void transferFromWaitsParked() throws Exception {
        Path source = Files.createTempFile(base.getParent(), "vt-source", ".bin");
        try {
            byte[] data = pattern(1 << 20, 7);
            Files.write(source, data);
            int count = 50;
            List<TempFifo> pipes = create(count);
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Long>> transfers = new ArrayList<>();
            for (TempFifo f : pipes) {
                Thread[] t = new Thread[1];
                transfers.add(VirtualThreads.start(virtual, () -> f.transferFrom(source, LONG), t));
                threads.add(t[0]);
            }
            awaitAllParked(threads); // waiting for readers
            List<InputStream> readers = new ArrayList<>();
            try {
                for (TempFifo f : pipes) {
                    readers.add(f.openInputStream(LONG));
                }
                awaitAllParked(threads); // waiting for room in the pipe: no one reads yet
                assertThat(onVirtualThread(() -> "ran").get(30, TimeUnit.SECONDS)).isEqualTo("ran");
                List<CompletableFuture<Long>> reads = new ArrayList<>();
                for (InputStream in : readers) {
                    reads.add(onVirtualThread(() -> checksumOf(in, data.length)));
                }
                long expected = crc(data);
                for (CompletableFuture<Long> read : reads) {
                    assertThat(read.get(120, TimeUnit.SECONDS)).isEqualTo(expected);
                }
                for (CompletableFuture<Long> transfer : transfers) {
                    assertThat(transfer.get(120, TimeUnit.SECONDS)).isEqualTo(data.length);
                }
            } finally {
                closeAll(readers);
            }
        } finally {
            Files.deleteIfExists(source);
        }
    }

    @Test
    void fifoProcessWaitsParked() throws Exception {
        int count = 20;
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<TempFifo> gates = create(count);
        for (int i = 0; i < count; i++) {
            TempFifo gate = gates.get(i);
            Thread[] t = new Thread[1];
            runs.add(VirtualThreads.start(virtual, () -> {
                try (FifoProcessBuilder pb = new FifoProcessBuilder()) {
                    Path in = pb.inputFrom("substituted\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    // The program waits for the test to open the gate, then reads its FIFO.
                    pb.command("sh", "-c", "read x < \"$1\" && exec cat \"$2\" >/dev/null", "sh",
                            gate.path().toString(), in.toString());
                    try (FifoProcess p = pb.start()) {
                        return p.waitFor();
                    }
                }
            }, t));
            threads.add(t[0]);
        }
        try {
            awaitAllParked(threads);
            // Each waits in FifoProcess.waitFor(), never in Process.waitFor()'s Object.wait, which
            // holds the carrier up to JDK 23 (from JDK 24 on it would park, so the state can't tell).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (Thread t : threads) {
                while (java.util.Arrays.stream(t.getStackTrace()).noneMatch(f -> f.getClassName().equals(FifoProcess.class.getName())
                        && f.getMethodName().equals("waitFor")) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(t.getStackTrace()).as("stack of %s", t)
                        .anyMatch(f -> f.getClassName().equals(FifoProcess.class.getName()) && f.getMethodName().equals("waitFor"))
                        .noneMatch(f -> f.getClassName().equals("java.lang.Object") && f.getMethodName().startsWith("wait")
                                || f.getClassName().startsWith("java.lang.Process") && f.getMethodName().equals("waitFor"));
            }
            assertThat(onVirtualThread(() -> "ran").get(30, TimeUnit.SECONDS)).isEqualTo("ran");
        } finally {
            // Also when an assertion failed: each program waits for its gate, which releases it.
            List<String> stuck = new ArrayList<>();
            for (TempFifo gate : gates) {
                try (OutputStream out = gate.openOutputStream(Duration.ofSeconds(30))) {
                    out.write('\n');
                } catch (IOException e) {
                    stuck.add(gate.path() + ": " + e);
                }
            }
            assertThat(stuck).as("gates that could not be opened for their programs").isEmpty();
        }
        for (CompletableFuture<Integer> run : runs) {
            assertThat(run.get(120, TimeUnit.SECONDS)).isZero();
        }
    }

    // ------------------------------------------------------------------------------ helpers

    /**
     * {@code count} FIFOs, each with a virtual writer of {@code bytes} and a virtual reader that
     * checks every byte; all of one side submitted before the other.
     */
    private void stream(int count, int bytes, boolean writersFirst, boolean channels) throws Exception {
        List<TempFifo> pipes = create(count);
        List<CompletableFuture<Long>> writers = new ArrayList<>();
        List<CompletableFuture<Long>> readers = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            boolean writing = (side == 0) == writersFirst;
            for (int i = 0; i < count; i++) {
                TempFifo f = pipes.get(i);
                int seed = i;
                if (writing) {
                    writers.add(onVirtualThread(() -> write(f, bytes, seed, channels)));
                } else {
                    readers.add(onVirtualThread(() -> read(f, bytes, channels)));
                }
            }
        }
        CompletableFuture.allOf(writers.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.MINUTES);
        for (int i = 0; i < count; i++) {
            assertThat(readers.get(i).get(10, TimeUnit.MINUTES)).as("FIFO %d", i)
                    .isEqualTo(writers.get(i).get());
        }
    }

    /** Writes {@code bytes}: a shared block, repeated, whose first copy starts with {@code seed}. */
    private static long write(TempFifo f, int bytes, int seed, boolean channel) throws IOException {
        CRC32 crc = new CRC32();
        byte[] first = BLOCK.clone();
        ByteBuffer.wrap(first).putInt(seed);
        if (channel) {
            try (WritableByteChannel out = f.openWriteChannel(LONG)) {
                for (int off = 0; off < bytes; off += BLOCK.length) {
                    ByteBuffer buf = ByteBuffer.wrap(off == 0 ? first : BLOCK, 0, Math.min(BLOCK.length, bytes - off));
                    crc.update(buf.duplicate());
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                }
            }
        } else {
            try (OutputStream out = f.openOutputStream(LONG)) {
                for (int off = 0; off < bytes; off += BLOCK.length) {
                    int n = Math.min(BLOCK.length, bytes - off);
                    crc.update(off == 0 ? first : BLOCK, 0, n);
                    out.write(off == 0 ? first : BLOCK, 0, n);
                }
            }
        }
        return crc.getValue();
    }

    private static long read(TempFifo f, int bytes, boolean channel) throws IOException {
        if (channel) {
            try (ReadableByteChannel in = f.openReadChannel(LONG)) {
                ByteBuffer buf = ByteBuffer.allocate(BLOCK.length);
                CRC32 crc = new CRC32();
                long total = 0;
                for (int n; (n = in.read(buf)) >= 0; ) {
                    buf.flip();
                    crc.update(buf);
                    buf.clear();
                    total += n;
                }
                assertThat(total).isEqualTo(bytes);
                return crc.getValue();
            }
        }
        try (InputStream in = f.openInputStream(LONG)) {
            return checksumOf(in, bytes);
        }
    }

    private static long checksumOf(InputStream in, int expectedBytes) throws IOException {
        byte[] buf = new byte[64 * 1024];
        CRC32 crc = new CRC32();
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            crc.update(buf, 0, n);
            total += n;
        }
        assertThat(total).isEqualTo(expectedBytes);
        return crc.getValue();
    }

    private static byte[] pattern(int bytes, int seed) {
        byte[] data = new byte[bytes];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < bytes; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            data[i] = (byte) x;
        }
        return data;
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    /**
     * Waits until every thread is parked ({@code WAITING}): a virtual thread held in a system
     * call stays {@code RUNNABLE}, and would keep its carrier.
     */
    private static void awaitAllParked(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Thread t : threads) {
            assertThat(VirtualThreads.isVirtual(t)).isTrue();
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(t + " is " + t.getState() + ", not parked: "
                            + java.util.Arrays.toString(t.getStackTrace()));
                }
                Thread.sleep(5);
            }
        }
        Thread.sleep(200); // and they stay so
        for (Thread t : threads) {
            assertThat(t.getState()).as("%s", t).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
        }
    }

    private static void closeAll(List<? extends java.io.Closeable> closeables) throws IOException {
        for (java.io.Closeable c : closeables) {
            c.close();
        }
    }

    /** Resets this process's peak RSS (VmHWM) so that it measures what follows; false if not allowed. */
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A number from /proc/self/status, e.g. "VmHWM:" (peak RSS, KiB) or "Threads:" (OS threads). */
    private static long statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** This JVM's descriptor limits from /proc/self/limits: {soft, hard}. */
    private static long[] fdLimits() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] limits = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {limit(limits[0]), limit(limits[1])};
            }
        }
        throw new AssertionError("no descriptor limit in /proc/self/limits");
    }

    private static long limit(String value) {
        return value.equals("unlimited") ? Integer.MAX_VALUE : Long.parseLong(value);
    }

    /**
     * Sets this JVM's own RLIMIT_NOFILE with {@code prlimit(1)}; true if it worked. Raising the
     * hard limit needs root (CAP_SYS_RESOURCE); lowering is always allowed, even below the number
     * of descriptors open.
     */
    private static boolean setFdLimits(long soft, long hard) throws IOException, InterruptedException {
        Path prlimit = Path.of("/usr/bin/prlimit");
        if (!Files.isExecutable(prlimit)) {
            return false;
        }
        Process p = new ProcessBuilder(prlimit.toString(), "--pid", Long.toString(ProcessHandle.current().pid()),
                "--nofile=" + soft + ":" + hard).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        }
        int exit = p.waitFor();
        p.getErrorStream().close();
        long[] now = fdLimits();
        boolean ok = exit == 0 && now[0] == soft && now[1] == hard;
        if (!ok) {
            System.out.println("VirtualThreadTest: prlimit --nofile=" + soft + ":" + hard + " failed (exit " + exit + "): " + out);
        }
        return ok;
    }
}
