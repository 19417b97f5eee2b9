package io.github.tempfifo;

import io.github.tempfifo.internal.FifoBackend;
import io.github.tempfifo.internal.Owner;
import io.github.tempfifo.internal.PrivateDirectoryName;
import io.github.tempfifo.testing.Child;
import io.github.tempfifo.testing.ChildJvm;
import io.github.tempfifo.testing.Cmd;
import io.github.tempfifo.testing.FifoChild;
import io.github.tempfifo.testing.NoLeaks;
import io.github.tempfifo.testing.SweepChild;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 4, item 2: sweep removes the private directories of dead owners and old unowned ones,
 * and nothing else: not other files or directories, not symlinks named like ours (nor what they
 * point to), not directories with other contents, other users' or of the wrong mode, not a live
 * owner's, not a young unowned one. A reused pid (right pid, wrong start time) is a dead owner.
 */
@ExtendWith(NoLeaks.class)
class SweepTest {
    private static final FifoBackend BACKEND = FifoBackend.get();
    private static final Owner DEAD = new Owner(deadPid(), 4242);
    private static final Duration DAY = Duration.ofHours(24);

    @TempDir
    Path base;
    @TempDir
    Path outside;

    @AfterEach
    void cleanUp() throws IOException {
        Cmd.run("chmod", "-R", "u+rwx", base.toString()); // whatever a test changed, @TempDir can remove it
    }

    /** The pid of a process that has ended (and been reaped). */
    private static long deadPid() {
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            return p.pid();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A private directory as TempFifo makes it (0700), with a FIFO {@code fifo} (0600) in it. */
    private Path stale(Owner owner) throws IOException {
        Path dir = base.resolve(PrivateDirectoryName.newName("tempfifo-", owner));
        BACKEND.createPrivateDirectory(dir).close();
        BACKEND.createFifo(dir.resolve("fifo"));
        return dir;
    }

    private static void age(Path dir, Duration age) throws IOException {
        Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minus(age)));
    }

    private static List<Path> contents(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().collect(Collectors.toList());
        }
    }

    @Test
    void removesDeadOwnersDirectoriesAndOldUnownedOnes() throws Exception {
        Path dead1 = stale(DEAD);
        Path dead2 = stale(new Owner(DEAD.pid(), 1));
        Path oldUnowned = stale(null);
        age(oldUnowned, Duration.ofHours(25));
        Path emptyDead = base.resolve(PrivateDirectoryName.newName("x-", DEAD)); // a crash between mkdir and mkfifo
        BACKEND.createPrivateDirectory(emptyDead).close();
        List<Path> expected = new ArrayList<>(List.of(dead1, dead2, oldUnowned, emptyDead));
        Collections.sort(expected);

        assertThat(TempFifo.findStale(base, DAY)).isEqualTo(expected);
        assertThat(contents(base)).hasSize(4);
        assertThat(TempFifo.sweep(base)).isEqualTo(expected);
        assertThat(contents(base)).isEmpty();
    }

    /**
     * {@code TempFifo.delete} (and {@code tempfifo rm}): removes exactly a FIFO tempfifo made and
     * its directory, through descriptors; refuses, touching nothing, a FIFO not alone in its
     * directory and one in a directory that is not ours.
     */
    @Test
    void deleteRemovesOurFifoAndItsDirectoryAndRefusesOtherThings() throws Exception {
        TempFifo kept = TempFifo.builder().directory(base).deleteOnExit(false).create();
        Path fifo = kept.path();
        kept.close(); // removed by close(): checked again at the end, after the refusals below
        TempFifo made = TempFifo.builder().directory(base).deleteOnExit(false).create();
        try {
            Files.createFile(made.directory().resolve("other"));
            assertThatThrownBy(() -> TempFifo.delete(made.path())).hasMessageContaining("holds other files");
            Files.delete(made.directory().resolve("other"));
            TempFifo.delete(made.path());
            assertThat(made.directory()).doesNotExist();
        } finally {
            made.close();
        }
        Path notOurs = Files.createDirectory(base.resolve("plain"));
        BACKEND.createFifo(notOurs.resolve("fifo"));
        assertThatThrownBy(() -> TempFifo.delete(notOurs.resolve("fifo"))).hasMessageContaining("not in a tempfifo private directory");
        assertThat(notOurs.resolve("fifo")).exists();
        Files.delete(notOurs.resolve("fifo"));
        Files.delete(notOurs);
        assertThat(fifo).doesNotExist();
    }

    @Test
    void aReusedPidIsNotTheOwner() throws Exception {
        Owner me = Owner.current();
        Path reused = stale(new Owner(me.pid(), me.startTime() + 1)); // a live pid, but another process's
        Path mine = stale(me);
        assertThat(TempFifo.sweep(base)).containsExactly(reused);
        assertThat(contents(base)).containsExactly(mine);
    }

    @Test
    void neverRemovesALiveOwnersDirectory() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Owner other = Owner.of(sleeper.pid()).orElseThrow();
            Path live = stale(other);
            age(live, Duration.ofDays(365)); // age does not matter for an owned directory
            Path mine = stale(Owner.current());
            assertThat(TempFifo.sweep(base, Duration.ZERO)).isEmpty();
            assertThat(contents(base)).containsExactlyInAnyOrder(live, mine);
            sleeper.destroyForcibly().waitFor();
            assertThat(TempFifo.sweep(base, Duration.ZERO)).containsExactly(live);
            assertThat(contents(base)).containsExactly(mine);
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void unownedDirectoriesAreRemovedOnlyWhenOlderThanTheThreshold() throws Exception {
        Path young = stale(null);
        Path hourOld = stale(null);
        age(hourOld, Duration.ofHours(1));
        assertThat(TempFifo.sweep(base)).isEmpty();
        assertThat(TempFifo.sweep(base, Duration.ofHours(2))).isEmpty();
        assertThat(TempFifo.sweep(base, Duration.ofMinutes(30))).containsExactly(hourOld);
        assertThat(contents(base)).containsExactly(young);
        assertThatThrownBy(() -> TempFifo.sweep(base, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Entries that are not tempfifo directories, whatever their name, are never touched. */
    @Test
    void neverTouchesAnythingThatIsNotATempfifoDirectory() throws Exception {
        Set<Path> planted = new HashSet<>();
        // a regular file, a FIFO and an ordinary directory, each named like a stale directory of ours
        planted.add(Files.writeString(base.resolve(PrivateDirectoryName.newName("tempfifo-", DEAD)), "a file"));
        Path fifoNamedLikeOurs = base.resolve(PrivateDirectoryName.newName("tempfifo-", DEAD));
        BACKEND.createFifo(fifoNamedLikeOurs); // opening it would block the sweep: it must not be opened
        planted.add(fifoNamedLikeOurs);
        // directories that are not named like ours
        for (String name : List.of("tempfifo-short.1_1", "tempfifo-abcdefghijklmnop.x_1", "notours", "tempfifo-ABCDEFGHIJKLMNOP.1_1",
                PrivateDirectoryName.newName("tempfifo-", DEAD) + ".bak", PrivateDirectoryName.newName("tempfifo-", null) + "\n")) {
            Path dir = base.resolve(name);
            BACKEND.createPrivateDirectory(dir).close();
            BACKEND.createFifo(dir.resolve("fifo"));
            age(dir, Duration.ofDays(2));
            planted.add(dir);
        }
        // symlinks named like ours: to a dead owner's directory outside, to a FIFO, dangling
        Path target = Files.createDirectory(outside.resolve(PrivateDirectoryName.newName("tempfifo-", DEAD)));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        BACKEND.createFifo(target.resolve("fifo"));
        planted.add(Files.createSymbolicLink(base.resolve(PrivateDirectoryName.newName("tempfifo-", DEAD)), target));
        planted.add(Files.createSymbolicLink(base.resolve(PrivateDirectoryName.newName("tempfifo-", null)), target.resolve("fifo")));
        planted.add(Files.createSymbolicLink(base.resolve(PrivateDirectoryName.newName("tempfifo-", DEAD)), outside.resolve("nothing")));

        List<Path> removed = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> TempFifo.sweep(base, Duration.ZERO));
        assertThat(removed).isEmpty();
        assertThat(new HashSet<>(contents(base))).isEqualTo(planted);
        assertThat(target.resolve("fifo")).exists();
    }

    /** A directory named like a dead owner's but with other contents, or another mode, is not ours to remove. */
    @Test
    void neverRemovesDirectoriesWithOtherContentsOrModes() throws Exception {
        Path withFile = stale(DEAD);
        Files.writeString(withFile.resolve("notes.txt"), "keep me");
        Path withSubdir = stale(DEAD);
        Files.createDirectory(withSubdir.resolve("sub"));
        Path onlyFile = base.resolve(PrivateDirectoryName.newName("tempfifo-", DEAD));
        BACKEND.createPrivateDirectory(onlyFile).close();
        Files.writeString(onlyFile.resolve("fifo"), "a regular file where the FIFO was");
        Path withLink = base.resolve(PrivateDirectoryName.newName("tempfifo-", DEAD));
        BACKEND.createPrivateDirectory(withLink).close();
        BACKEND.createFifo(outside.resolve("elsewhere"));
        Files.createSymbolicLink(withLink.resolve("fifo"), outside.resolve("elsewhere"));
        Path wideMode = stale(DEAD);
        Files.setPosixFilePermissions(wideMode, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path narrowMode = stale(DEAD);
        Files.setPosixFilePermissions(narrowMode, PosixFilePermissions.fromString("r-x------"));
        List<Path> before = contents(base);

        assertThat(TempFifo.sweep(base, Duration.ZERO)).isEmpty();
        assertThat(contents(base)).isEqualTo(before);
        assertThat(withFile.resolve("fifo")).exists();
        assertThat(Files.readString(withFile.resolve("notes.txt"))).isEqualTo("keep me");
        assertThat(withLink.resolve("fifo")).exists();
        assertThat(outside.resolve("elsewhere")).exists();
        assertThat(wideMode.resolve("fifo")).exists();
    }

    @Test
    void neverRemovesOtherUsersDirectoriesOrFifos() throws Exception {
        assumeTrue(Cmd.isRoot(), "needs root to give files to another user");
        Path theirs = stale(DEAD);
        assertThat(Cmd.run("chown", "-R", "nobody", theirs.toString()).status()).isZero();
        Path theirFifo = stale(DEAD);
        assertThat(Cmd.run("chown", "nobody", theirFifo.resolve("fifo").toString()).status()).isZero();
        Path ours = stale(DEAD);
        assertThat(TempFifo.sweep(base, Duration.ZERO)).containsExactly(ours);
        assertThat(contents(base)).containsExactlyInAnyOrder(theirs, theirFifo);
        assertThat(theirs.resolve("fifo")).exists();
        assertThat(theirFifo.resolve("fifo")).exists();
    }

    /** Sweep refuses a base directory where another user could swap entries, as create() does. */
    @Test
    void refusesAnUnsafeBaseDirectory() throws Exception {
        Path stale = stale(DEAD);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            assertThatThrownBy(() -> TempFifo.sweep(base, Duration.ZERO))
                    .isInstanceOf(AccessDeniedException.class).hasMessageContaining(base.toString());
            assertThatThrownBy(() -> TempFifo.findStale(base, Duration.ZERO)).isInstanceOf(AccessDeniedException.class);
            assertThat(stale.resolve("fifo")).exists();
        } finally {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * A stale directory swapped for a symlink to another directory, over and over, while sweeps
     * run: whatever the interleaving, nothing outside the base directory is removed. (The
     * swapping stands for a process of the same user; others can't rename our entries in a safe
     * base directory.)
     */
    @Test
    void aDirectorySwappedForASymlinkDuringASweepLeadsNowhere() throws Exception {
        Path victim = Files.createDirectory(outside.resolve("victim"));
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rwx------"));
        BACKEND.createFifo(victim.resolve("fifo"));
        Path name = base.resolve(PrivateDirectoryName.newName("tempfifo-", DEAD));
        Path aside = Files.createDirectory(base.resolve("aside")).resolve("dir");
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Integer> swapper = CompletableFuture.supplyAsync(() -> {
            int swaps = 0;
            while (!stop.get()) {
                try {
                    if (!Files.exists(name, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        BACKEND.createPrivateDirectory(name).close(); // the sweep removed it: make it again
                    }
                    if (!Files.exists(name.resolve("fifo"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        BACKEND.createFifo(name.resolve("fifo"));
                    }
                    Files.move(name, aside, StandardCopyOption.ATOMIC_MOVE);
                    Files.createSymbolicLink(name, victim);
                    Thread.yield();
                    Files.delete(name);
                    Files.move(aside, name, StandardCopyOption.ATOMIC_MOVE);
                    swaps++;
                } catch (IOException e) {
                    // the sweep removed the directory or its FIFO under us: start again
                }
            }
            return swaps;
        }, r -> new Thread(r, "test-swapper").start());
        int sweeps = 0;
        int removed = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        try {
            while (System.nanoTime() < end) {
                removed += TempFifo.sweep(base, Duration.ZERO).size();
                sweeps++;
                assertThat(victim.resolve("fifo")).as("after %d sweeps", sweeps).exists();
            }
        } finally {
            stop.set(true);
        }
        int swaps = swapper.get(30, TimeUnit.SECONDS);
        assertThat(swaps).isPositive();
        assertThat(victim.resolve("fifo")).exists();
        assertThat(victim).isDirectory();
        System.out.printf("swap race: %d swaps, %d sweeps, %d directories removed, victim intact%n", swaps, sweeps, removed);
        Files.walk(base).sorted(Collections.reverseOrder()).filter(p -> !p.equals(base)).forEach(p -> p.toFile().delete());
    }

    @Test
    void concurrentSweepsRemoveEachDirectoryOnce() throws Exception {
        Set<Path> expected = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            expected.add(stale(DEAD));
        }
        List<CompletableFuture<List<Path>>> sweeps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sweeps.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return TempFifo.sweep(base, Duration.ZERO);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, r -> new Thread(r, "test-sweep").start()));
        }
        List<Path> all = new ArrayList<>();
        for (CompletableFuture<List<Path>> s : sweeps) {
            all.addAll(s.get(60, TimeUnit.SECONDS));
        }
        assertThat(all).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).isEqualTo(expected);
        assertThat(contents(base)).isEmpty();
    }

    /**
     * Run as another (non-root) user, sweep removes that user's stale directories and not root's.
     * Also shows that a non-root user can use its own base directory at all.
     */
    @Test
    void sweepRunByAnotherUserRemovesOnlyThatUsersDirectories() throws Exception {
        assumeTrue(Cmd.isRoot(), "needs root to run as another user");
        String classPath = System.getProperty("java.class.path").split(":")[0];
        assumeTrue(Cmd.runAsNobody("test", "-r", classPath + "/" + FifoChild.class.getName().replace('.', '/') + ".class").status() == 0,
                "nobody can't read the test classes in " + classPath);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Cmd.run("chown", "nobody", base.toString()).status()).isZero();
        Path rootsStale = stale(DEAD);
        List<Path> theirs;
        try (Child child = Child.start(asNobody(ChildJvm.command(nobodyOptions(), FifoChild.class, base.toString(), "2", "own", "wait")))) {
            theirs = child.linesUntil("ready").stream().map(Path::of).sorted().collect(Collectors.toList());
            child.process().destroyForcibly(); // setpriv exec'd the JVM: this SIGKILLs it
            assertThat(child.waitFor()).isEqualTo(137);
        }
        assertThat(theirs).hasSize(2).allSatisfy(d -> assertThat(d.resolve("fifo")).exists());
        try (Child child = Child.start(asNobody(ChildJvm.command(nobodyOptions(), SweepChild.class, base.toString())))) {
            assertThat(child.linesUntil("done").stream().map(Path::of).sorted()).as(child.stderr()).isEqualTo(theirs);
            assertThat(child.waitFor()).isZero();
        }
        assertThat(contents(base)).containsExactly(rootsStale);
        assertThat(Cmd.run("chown", "root", base.toString()).status()).isZero();
    }

    private static List<String> nobodyOptions() {
        return List.of("-Djava.io.tmpdir=/tmp");
    }

    /** As nobody with setpriv, which execs the JVM: the process started is the JVM itself. */
    private static List<String> asNobody(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        cmd.addAll(command);
        return cmd;
    }
}
