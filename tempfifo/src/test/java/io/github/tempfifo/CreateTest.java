package io.github.tempfifo;

import io.github.tempfifo.testing.ChildJvm;
import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(NoLeaks.class)
class CreateTest {
    @TempDir
    Path base;

    static int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    /** deleteOnExit and the owner that sweep goes by are two separate settings. */
    @Test
    void deleteOnExitFalseKeepsThisJvmAsOwnerAndUnownedRecordsNone() throws Exception {
        String me = "\\." + ProcessHandle.current().pid() + "_\\d+";
        try (TempFifo kept = TempFifo.builder().directory(base).deleteOnExit(false).create();
             TempFifo unowned = TempFifo.builder().directory(base).unowned().create();
             TempFifo reowned = TempFifo.builder().directory(base).unowned().owner(ProcessHandle.current()).create()) {
            assertThat(kept.directory().getFileName().toString()).matches("tempfifo-[a-z2-7]{16}" + me);
            assertThat(unowned.directory().getFileName().toString()).matches("tempfifo-[a-z2-7]{16}\\.unowned");
            assertThat(reowned.directory().getFileName().toString()).matches("tempfifo-[a-z2-7]{16}" + me);
            // this JVM is running, and the unowned one is young: nothing is stale
            assertThat(TempFifo.findStale(base, java.time.Duration.ofHours(1))).isEmpty();
        }
    }

    @Test
    void createsAFifoInAPrivateDirectoryAndCloseRemovesBoth() throws Exception {
        TempFifo fifo = TempFifo.builder().directory(base).create();
        Path path = fifo.path();
        Path dir = fifo.directory();
        assertThat(path.getFileName()).hasToString("fifo");
        assertThat(path.getParent()).isEqualTo(dir);
        assertThat(dir.getParent()).isEqualTo(base);
        assertThat(dir.getFileName().toString()).matches("tempfifo-[a-z2-7]{16}\\.\\d+_\\d+");
        assertThat(mode(dir)).isEqualTo(0040700);   // directory, exactly rwx------
        assertThat(mode(path)).isEqualTo(0010600);  // FIFO, exactly rw-------
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(path);
        }
        assertThat(fifo.toString()).isEqualTo(path.toString());

        fifo.close();
        assertThat(fifo.isClosed()).isTrue();
        assertThat(dir).doesNotExist();
        fifo.close(); // idempotent
        try (var entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void createUsesTheDefaultBaseDirectory() throws Exception {
        String tmpdir = System.getenv("TMPDIR");
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        try (TempFifo fifo = TempFifo.create()) {
            Path expected = tmpdir != null && !tmpdir.isEmpty() ? Path.of(tmpdir) : xdg != null && Files.isDirectory(Path.of(xdg))
                    && PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(xdg))).equals("rwx------")
                    ? Path.of(xdg) : Path.of(System.getProperty("java.io.tmpdir"));
            assertThat(fifo.directory().getParent()).isEqualTo(expected.toAbsolutePath());
            assertThat(fifo.path()).exists();
        }
    }

    @Test
    void builderSetsPrefixAndName() throws Exception {
        try (TempFifo fifo = TempFifo.builder().directory(base).prefix("my app ✓-").name("input.fastq").create()) {
            assertThat(fifo.path().getFileName()).hasToString("input.fastq");
            assertThat(fifo.directory().getFileName().toString()).startsWith("my app ✓-");
            assertThat(mode(fifo.path())).isEqualTo(0010600);
        }
        try (TempFifo fifo = TempFifo.builder().directory(base).prefix("").create()) {
            assertThat(fifo.directory().getFileName().toString()).matches("[a-z2-7]{16}\\.\\d+_\\d+");
        }
    }

    @Test
    void relativeBaseDirectoryGivesAnAbsolutePath() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(base);
        try (TempFifo fifo = TempFifo.builder().directory(relative).create()) {
            assertThat(fifo.path()).isAbsolute();
            assertThat(fifo.path()).exists();
        }
    }

    @Test
    void namesAreUniqueAndUnpredictable() throws Exception {
        List<TempFifo> fifos = new ArrayList<>();
        Set<String> randomParts = new HashSet<>();
        try {
            for (int i = 0; i < 200; i++) {
                TempFifo f = TempFifo.builder().directory(base).create();
                fifos.add(f);
                String name = f.directory().getFileName().toString();
                randomParts.add(name.substring("tempfifo-".length(), "tempfifo-".length() + 16));
            }
            assertThat(randomParts).hasSize(200);
        } finally {
            for (TempFifo f : fifos) {
                f.close();
            }
        }
    }

    @Test
    void closeIsThreadSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                TempFifo fifo = TempFifo.builder().directory(base).create();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> closes = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    closes.add(pool.submit(() -> {
                        start.await();
                        fifo.close();
                        // every close returns only once the files are gone
                        assertThat(fifo.directory()).doesNotExist();
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : closes) {
                    f.get(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        try (var entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
    }

    /** Modes are exact whatever the umask: a umask can take bits away, and we put them back. */
    @ParameterizedTest
    @ValueSource(strings = {"000", "022", "077", "0277", "0777"})
    void modesAreExactWhateverTheUmask(String umask) throws Exception {
        Process child = ChildJvm.start(ChildJvm.withUmask(umask, ChildJvm.command(CreateAndReport.class, base.toString())));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("child output").isNotNull();
            String[] parts = line.split(" ");
            assertThat(Integer.parseInt(parts[0], 8)).as("directory mode").isEqualTo(0040700);
            assertThat(Integer.parseInt(parts[1], 8)).as("FIFO mode").isEqualTo(0010600);
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        try (var entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
    }

    /** Child JVM: creates a FIFO in args[0], prints the modes in octal, closes it. */
    public static final class CreateAndReport {
        public static void main(String[] args) throws Exception {
            try (TempFifo fifo = TempFifo.builder().directory(Path.of(args[0])).create()) {
                System.out.println(Integer.toOctalString(mode(fifo.directory())) + " " + Integer.toOctalString(mode(fifo.path())));
            }
        }
    }
}
