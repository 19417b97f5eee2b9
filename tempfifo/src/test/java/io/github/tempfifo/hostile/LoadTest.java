package io.github.tempfifo.hostile;

import io.github.tempfifo.TempFifo;
import io.github.tempfifo.testing.Child;
import io.github.tempfifo.testing.ChildJvm;
import io.github.tempfifo.testing.Cmd;
import io.github.tempfifo.testing.NoLeaks;
import io.github.tempfifo.testing.OpenManyChild;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4, item 3, load: many threads creating, using and closing FIFOs at once, and 10,000
 * FIFOs open at once: no name collision, every byte to its reader, no descriptor or thread
 * leaked (NoLeaks), nothing left in the base directory.
 *
 * <p>Cycles per thread: 10,000 on the FFM backend. On the portable backend each create runs the
 * {@code mkfifo} program (about 3 ms of process start on this 2-core machine), so 80,000 cycles
 * would take minutes; it runs 1,000 per thread (8,000 in all) unless
 * {@code -Dtempfifo.test.loadCycles=N} says otherwise.
 *
 * <p>As root, the base directory is a tmpfs of its own, as {@code $XDG_RUNTIME_DIR}
 * ({@code /run/user/UID}) is: these tests are about collisions and leaks, and on this machine's
 * ext4 {@code /tmp} the directory journal triples the cost of each create and close.
 */
@ExtendWith(NoLeaks.class)
class LoadTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int THREADS = 8;
    private static final int FIFOS_AT_ONCE = 10_000;

    @TempDir
    Path tmp;
    Path base;
    boolean mounted;

    @BeforeEach
    void base() throws Exception {
        base = Files.createDirectory(tmp.resolve("base"));
        mounted = Cmd.isRoot() && Cmd.run("mount", "-t", "tmpfs", "-o", "size=32m,nr_inodes=50000,mode=0700", "tmpfs",
                base.toString()).status() == 0;
    }

    @AfterEach
    void unmount() {
        if (mounted) {
            assertThat(Cmd.run("umount", base.toString()).status()).isZero();
        }
    }

    static int cyclesPerThread() {
        String configured = System.getProperty("tempfifo.test.loadCycles");
        if (configured != null) {
            return Integer.parseInt(configured);
        }
        return TempFifo.backend() == io.github.tempfifo.Backend.FFM ? 10_000 : 1_000;
    }

    private List<Path> contents() throws Exception {
        try (Stream<Path> entries = Files.list(base)) {
            return entries.collect(Collectors.toList());
        }
    }

    /**
     * Eight writer threads create FIFOs and write a message naming the cycle; eight reader
     * threads, one per writer, read it and close the FIFO.
     */
    @Test
    void eightThreadsCreateWriteReadClose() throws Exception {
        int cycles = cyclesPerThread();
        Set<Path> directories = ConcurrentHashMap.newKeySet();
        AtomicLong bytes = new AtomicLong();
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            SynchronousQueue<TempFifo> handOff = new SynchronousQueue<>();
            tasks.add(run("test-load-writer-" + t, () -> {
                for (int i = 0; i < cycles; i++) {
                    TempFifo fifo = TempFifo.builder().directory(base).create();
                    assertThat(directories.add(fifo.directory())).as("collision: %s", fifo.directory()).isTrue();
                    handOff.put(fifo);
                    try (OutputStream out = fifo.openOutputStream(TIMEOUT)) {
                        out.write((thread + ":" + i + ":" + fifo.directory().getFileName()).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }));
            tasks.add(run("test-load-reader-" + t, () -> {
                for (int i = 0; i < cycles; i++) {
                    TempFifo fifo = handOff.take();
                    String message;
                    try (InputStream in = fifo.openInputStream(TIMEOUT)) {
                        message = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } finally {
                        fifo.close();
                    }
                    assertThat(message).isEqualTo(thread + ":" + i + ":" + fifo.directory().getFileName());
                    bytes.addAndGet(message.length());
                }
            }));
        }
        for (CompletableFuture<Void> task : tasks) {
            task.get(10, TimeUnit.MINUTES);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(directories).hasSize(THREADS * cycles);
        assertThat(contents()).isEmpty();
        System.out.printf("load (%s, base on %s): %d threads x %d cycles = %d FIFOs created, written, read, closed in %d ms; %d bytes; "
                        + "0 collisions; 0 left%n", TempFifo.backend(), mounted ? "tmpfs" : "@TempDir", THREADS, cycles, THREADS * cycles, millis, bytes.get());
    }

    /**
     * Descriptors a live TempFifo holds for its private directory: one {@code O_PATH} descriptor
     * on the FFM backend, two on the portable one (the JDK's {@code SecureDirectoryStream} keeps
     * a {@code DIR*} and a duplicate).
     */
    static int heldPerFifo() {
        return TempFifo.backend() == io.github.tempfifo.Backend.FFM ? 1 : 2;
    }

    /**
     * 10,000 FIFOs open at once in a child JVM, or as many as the hard descriptor limit allows
     * (this machine: 20,000, which even root can't raise without CAP_SYS_RESOURCE): both ends of
     * each when it allows that, else the read end of each, every write end having been opened,
     * written and closed. Each live TempFifo also holds its directory ({@link #heldPerFifo()}).
     */
    @Test
    void tenThousandFifosOpenAtOnce() throws Exception {
        long hard = hardFdLimit();
        int held = heldPerFifo();
        boolean both = hard >= (2L + held) * FIFOS_AT_ONCE + 1000;
        int ends = both ? 2 : 1;
        int count = (int) Math.min(FIFOS_AT_ONCE, (hard - 1000) / (ends + held));
        Map<String, String> r = openMany((int) Math.min(hard, (long) (ends + held) * count + 1000), both ? "both" : "one", count);
        assertThat(r.get("error")).isEqualTo("none");
        assertThat(Integer.parseInt(r.get("created"))).isEqualTo(count);
        assertThat(Integer.parseInt(r.get("opened"))).isEqualTo(count);
        assertThat(Integer.parseInt(r.get("peak")))
                .isGreaterThanOrEqualTo(Integer.parseInt(r.get("before")) + (ends + held) * count);
        assertThat(r.get("after")).as(r.get("stderr")).isEqualTo(r.get("before"));
        assertThat(r.get("left")).isEqualTo("0");
        assertThat(contents()).isEmpty();
    }

    /** At the descriptor limit: a clear "Too many open files", and everything released and removed. */
    @Test
    void atTheDescriptorLimitTheErrorIsClearAndNothingLeaks() throws Exception {
        // as many FIFOs as fit under the limit, whose ends then don't: the opens reach it (creating
        // them at the limit would make the portable backend's mkfifo fail to start, where the JDK
        // itself leaks pipes)
        int count = 360 / heldPerFifo();
        Map<String, String> r = openMany(512, "both", count);
        assertThat(r.get("error")).contains("Too many open files");
        assertThat(Integer.parseInt(r.get("created"))).isEqualTo(count);
        assertThat(Integer.parseInt(r.get("opened"))).isLessThan(count);
        assertThat(Integer.parseInt(r.get("after"))).as(r.get("stderr")).isLessThanOrEqualTo(Integer.parseInt(r.get("before")));
        assertThat(r.get("left")).isEqualTo("0");
        assertThat(contents()).isEmpty();
    }

    private static long hardFdLimit() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(hard);
            }
        }
        throw new AssertionError("no fd limit in /proc/self/limits");
    }

    private Map<String, String> openMany(int fdLimit, String ends, int count) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -n " + fdLimit + " && exec \"$@\"", "sh"));
        command.addAll(ChildJvm.command(List.of("-XX:-MaxFDLimit"), OpenManyChild.class, base.toString(),
                Integer.toString(count), ends));
        long start = System.nanoTime();
        try (Child child = Child.start(command)) {
            String line = child.readLine();
            assertThat(child.waitFor()).as(child.stderr()).isZero();
            System.out.printf("open at once (%s, ulimit -n %d, %s): %s in %d ms%n", TempFifo.backend(), fdLimit, ends, line,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            Map<String, String> fields = new java.util.HashMap<>();
            Matcher m = Pattern.compile("(\\w+)=(.*?)(?= \\w+=|$)").matcher(line);
            while (m.find()) {
                fields.put(m.group(1), m.group(2));
            }
            fields.put("stderr", child.stderr());
            return fields;
        }
    }

    interface Task {
        void run() throws Exception;
    }

    private static CompletableFuture<Void> run(String name, Task task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Thread(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, name).start();
        return done;
    }
}
