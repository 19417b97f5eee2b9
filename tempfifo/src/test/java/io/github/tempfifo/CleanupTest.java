package io.github.tempfifo;

import io.github.tempfifo.testing.Child;
import io.github.tempfifo.testing.ChildJvm;
import io.github.tempfifo.testing.Cmd;
import io.github.tempfifo.testing.FifoChild;
import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 4, item 1: a TempFifo the program did not close is removed on every exit path of the JVM
 * that runs Java code (normal exit, SIGTERM, SIGINT, SIGHUP; the Cleaner when it becomes
 * unreachable), is left by SIGKILL for {@link TempFifo#sweep} to remove, and survives with
 * {@code deleteOnExit(false)}. Each case runs a child JVM ({@link FifoChild}) on the same backend.
 */
@ExtendWith(NoLeaks.class)
class CleanupTest {
    private static final String NOT_CLOSED = "was not closed";

    @TempDir
    Path base;

    static List<Path> contents(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().collect(Collectors.toList());
        }
    }

    private Child child(int count, String keep, String action) throws IOException {
        return child(List.of(), count, keep, action);
    }

    private Child child(List<String> jvmOptions, int count, String keep, String action) throws IOException {
        // children here get signals (SIGTERM with destroy()): never ones the build was started ignoring
        return Child.start(ChildJvm.withDefaultSignals(
                ChildJvm.command(jvmOptions, FifoChild.class, base.toString(), Integer.toString(count), keep, action)));
    }

    private static List<Path> dirs(List<String> lines) {
        return lines.stream().map(Path::of).sorted().collect(Collectors.toList());
    }

    @Test
    void normalExitRemovesWhatWasNotClosed() throws Exception {
        try (Child child = child(3, "own", "exit")) {
            List<Path> created = dirs(child.linesUntil("ready"));
            assertThat(created).hasSize(3);
            assertThat(child.waitFor()).isZero();
            assertThat(contents(base)).isEmpty();
            assertThat(child.stderr()).doesNotContain(NOT_CLOSED); // exit is not a leak to warn about
        }
    }

    /** The JVM runs its shutdown hooks on SIGTERM (143), SIGINT (130) and SIGHUP (129): one hook removes all. */
    @ParameterizedTest
    @CsvSource({"TERM, 143", "INT, 130", "HUP, 129"})
    void terminatingSignalRemovesEverything(String signal, int status) throws Exception {
        // started with HUP, INT and TERM at their default action whether the build runs under
        // nohup (SIGHUP ignored) or as a background job (SIGINT ignored): see withDefaultSignals
        List<String> command = ChildJvm.withDefaultSignals(ChildJvm.command(FifoChild.class, base.toString(), "3", "own", "wait"));
        try (Child child = Child.start(command)) {
            List<Path> created = dirs(child.linesUntil("ready"));
            assertThat(created).hasSize(3).allSatisfy(d -> assertThat(d).isDirectory());
            long bit = 1L << (signalNumber(signal) - 1);
            assertThat(child.ignoredSignals() & bit).as("SIG%s is not ignored by the child", signal).isZero();
            child.signal(signal);
            assertThat(child.waitFor()).isEqualTo(status);
            assertThat(contents(base)).isEmpty();
        }
    }

    private static int signalNumber(String name) {
        switch (name) {
            case "HUP": return 1;
            case "INT": return 2;
            case "TERM": return 15;
            default: throw new IllegalArgumentException(name);
        }
    }

    @Test
    void oneShutdownHookForAllFifos() throws Exception {
        try (Child child = child(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), 50, "own", "hooks")) {
            assertThat(child.linesUntil("ready")).hasSize(50);
            String[] hooks = child.readLine().split(" ");
            // the first FIFO installs tempfifo's hook (and JUL's, as the logger is created); 49 more add none
            assertThat(Integer.parseInt(hooks[2])).as("shutdown hooks after 50 FIFOs").isEqualTo(Integer.parseInt(hooks[1]));
            assertThat(child.waitFor()).isZero();
            assertThat(contents(base)).isEmpty();
        }
    }

    @Test
    void unreachableFifoIsRemovedByTheCleanerWithOneWarning() throws Exception {
        try (Child child = child(1, "own", "gc")) {
            Path dir = dirs(child.linesUntil("ready")).get(0);
            assertThat(child.readLine()).isEqualTo("gone");
            assertThat(child.waitFor()).isZero();
            String err = child.stderr();
            assertThat(countOf(err, NOT_CLOSED)).as(err).isEqualTo(1);
            assertThat(err).contains("WARNING").contains(dir.resolve("fifo").toString())
                    .contains("-Dtempfifo.trackCreation=true");
            assertThat(contents(base)).isEmpty();
        }
    }

    @Test
    void withTrackCreationTheWarningNamesWhereItWasCreated() throws Exception {
        try (Child child = child(List.of("-Dtempfifo.trackCreation=true"), 1, "own", "gc")) {
            child.linesUntil("ready");
            assertThat(child.readLine()).isEqualTo("gone");
            assertThat(child.waitFor()).isZero();
            String err = child.stderr();
            assertThat(countOf(err, NOT_CLOSED)).as(err).isEqualTo(1);
            assertThat(err).contains("TempFifo created here")
                    .contains(FifoChild.class.getName() + ".create(FifoChild.java");
            assertThat(contents(base)).isEmpty();
        }
    }

    /**
     * SIGKILL runs no Java code: the directories stay. sweep then removes exactly those, and
     * neither a live owner's directory, nor a young unowned one, nor anything else.
     */
    @Test
    void sigkillLeavesFilesThatSweepRemovesAndNothingElse() throws Exception {
        try (TempFifo live = TempFifo.builder().directory(base).create();
             TempFifo young = TempFifo.builder().directory(base).deleteOnExit(false).unowned().create()) {
            Path other = Files.createDirectory(base.resolve("not-ours"));
            Path file = Files.writeString(base.resolve("file.txt"), "data");
            List<Path> killed;
            try (Child child = child(3, "own", "wait")) {
                killed = dirs(child.linesUntil("ready"));
                child.process().destroyForcibly();
                assertThat(child.waitFor()).isEqualTo(137);
            }
            assertThat(killed).hasSize(3).allSatisfy(d -> assertThat(d.resolve("fifo")).exists());
            assertThat(TempFifo.findStale(base, Duration.ofHours(24))).isEqualTo(killed);
            assertThat(contents(base)).hasSize(7); // findStale removes nothing
            assertThat(TempFifo.sweep(base)).isEqualTo(killed);
            assertThat(contents(base)).containsExactlyInAnyOrder(live.directory(), young.directory(), other, file);
            assertThat(live.path()).exists();
            assertThat(young.path()).exists();
            assertThat(TempFifo.sweep(base)).isEmpty(); // idempotent
            Files.delete(other);
            Files.delete(file);
        }
        assertThat(contents(base)).isEmpty();
    }

    /** deleteOnExit(false) with unowned(): the FIFO outlives its JVM (even on SIGTERM), and is swept only by age. */
    @Test
    void deleteOnExitFalseAndUnownedSurvivesExitAndIsSweptOnlyByAge() throws Exception {
        List<Path> kept = new ArrayList<>();
        try (Child child = child(1, "keep", "exit")) {
            kept.addAll(dirs(child.linesUntil("ready")));
            assertThat(child.waitFor()).isZero();
        }
        try (Child child = child(1, "keep", "wait")) {
            kept.addAll(dirs(child.linesUntil("ready")));
            child.process().destroy();
            assertThat(child.waitFor()).isEqualTo(143);
        }
        assertThat(kept).allSatisfy(d -> {
            assertThat(d.resolve("fifo")).exists();
            assertThat(d.getFileName().toString()).endsWith(".unowned");
        });
        assertThat(TempFifo.sweep(base)).isEmpty();
        assertThat(TempFifo.sweep(base, Duration.ofMinutes(10))).isEmpty();
        Path old = kept.get(0);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(25))));
        assertThat(TempFifo.findStale(base, Duration.ofHours(24))).containsExactly(old);
        assertThat(TempFifo.sweep(base)).containsExactly(old);
        assertThat(contents(base)).containsExactly(kept.get(1));
        assertThat(TempFifo.sweep(base, Duration.ZERO)).containsExactly(kept.get(1));
        assertThat(contents(base)).isEmpty();
    }

    /**
     * close() that fails (the file system went read-only) leaves the files tracked: the exit
     * hook removes them once it can, as close()'s Javadoc says.
     */
    @Test
    void filesThatCloseCouldNotRemoveAreRemovedAtExit() throws Exception {
        assumeTrue(Cmd.isRoot(), "needs root to mount a tmpfs");
        Path mnt = Files.createDirectory(base.resolve("mnt"));
        assumeTrue(Cmd.run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", mnt.toString()).status() == 0,
                "could not mount a tmpfs");
        try {
            try (Child child = Child.start(ChildJvm.command(FifoChild.class, mnt.toString(), "2", "own", "close"))) {
                List<Path> created = dirs(child.linesUntil("ready"));
                assertThat(Cmd.run("mount", "-o", "remount,ro", mnt.toString()).status()).isZero();
                child.writeLine("close");
                assertThat(child.readLine()).startsWith("failed:").contains("Read-only file system");
                assertThat(created).allSatisfy(d -> assertThat(d).exists());
                assertThat(Cmd.run("mount", "-o", "remount,rw", mnt.toString()).status()).isZero();
                child.closeInput();
                assertThat(child.waitFor()).isZero();
                assertThat(contents(mnt)).as("removed by the exit hook").isEmpty();
            }
        } finally {
            Cmd.run("mount", "-o", "remount,rw", mnt.toString());
            assertThat(Cmd.run("umount", mnt.toString()).status()).isZero();
        }
    }

    static int countOf(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
