package io.github.tempfifo.hostile;

import io.github.tempfifo.TempFifo;
import io.github.tempfifo.testing.Child;
import io.github.tempfifo.testing.ChildJvm;
import io.github.tempfifo.testing.Cmd;
import io.github.tempfifo.testing.FifoChild;
import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 4, item 3, attacks: another local user ({@code nobody}) against FIFOs made in a shared,
 * world-writable sticky base directory like /tmp. Every attempt must fail for the attacker and
 * leave our files and data untouched; where we are the one refused, we get a clear exception.
 *
 * <p>Needs root, to act as {@code nobody} with {@code runuser} (root ignores permission bits, so
 * the attacker must be another user). A control step shows that {@code nobody} does reach the
 * shared directory, so each refusal is due to tempfifo's private directory, not to the test's.
 */
@ExtendWith(NoLeaks.class)
class AttackTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    Path shared;

    @BeforeEach
    void sharedDirectoryLikeTmp() throws IOException {
        assumeTrue(Cmd.isRoot(), "needs root to act as another user (nobody)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        shared = Files.createDirectory(tmp.resolve("shared"));
        assertThat(Cmd.run("chmod", "1777", shared.toString()).status()).isZero();
        // control: the attacker can reach the shared directory and write in it
        Path control = shared.resolve("nobody-was-here");
        assertThat(Cmd.runAsNobody("touch", control.toString()).status()).as("nobody can write in the shared directory").isZero();
        Files.delete(control);
    }

    @AfterEach
    void nothingOfOursLeft() throws IOException {
        if (shared != null) {
            try (Stream<Path> entries = Files.list(shared)) {
                assertThat(entries.filter(p -> p.getFileName().toString().startsWith("tempfifo-"))).isEmpty();
            }
        }
    }

    /** Runs a command as nobody and asserts that the system refused it. */
    private static void refused(String what, String... command) {
        Cmd.Result r = Cmd.runAsNobody(command);
        assertThat(r.status()).as("%s: %s should fail (out: %s)", what, String.join(" ", command), r.out()).isNotZero();
        assertThat(r.err()).as(what).containsAnyOf("Permission denied", "Operation not permitted");
    }

    private static Object inode(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    /** Our data goes through the FIFO, after the attacks, to a reader of ours and no one else. */
    private static void roundTrip(TempFifo fifo) throws Exception {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = fifo.openInputStream(LONG)) {
                read.complete(in.readAllBytes());
            } catch (Throwable e) {
                read.completeExceptionally(e);
            }
        }, "test-reader");
        reader.start();
        try (OutputStream out = fifo.openOutputStream(LONG)) {
            out.write("our data".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(new String(read.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("our data");
        reader.join();
    }

    @Test
    void anotherUserCanNotListStatOpenRenameOrRemoveOurFifo() throws Exception {
        try (TempFifo fifo = TempFifo.builder().directory(shared).create()) {
            String dir = fifo.directory().toString();
            String path = fifo.path().toString();
            Object dirInode = inode(fifo.directory());
            Object fifoInode = inode(fifo.path());

            refused("list the private directory", "ls", "-la", dir);
            refused("stat the FIFO", "stat", path);
            refused("open the FIFO for reading", "timeout", "5", "cat", path);
            refused("open the FIFO for writing", "timeout", "5", "sh", "-c", "echo pwned > \"$1\"", "sh", path);
            refused("open the FIFO read-write", "timeout", "5", "sh", "-c", "exec 3<>\"$1\"", "sh", path);
            refused("rename the FIFO", "mv", path, shared.resolve("stolen").toString());
            refused("rename the private directory (sticky base)", "mv", dir, shared.resolve("stolen-dir").toString());
            refused("remove the FIFO", "rm", "-f", path);
            refused("remove the private directory", "rm", "-rf", dir);
            refused("rmdir the private directory", "rmdir", dir);
            refused("chmod the private directory", "chmod", "777", dir);
            refused("hard-link the FIFO out", "ln", path, shared.resolve("hardlink").toString());
            refused("plant a file in the private directory", "touch", fifo.directory().resolve("planted").toString());
            refused("plant a FIFO in the private directory", "mkfifo", fifo.directory().resolve("planted").toString());
            refused("plant a symlink in the private directory", "ln", "-s", "/etc/passwd", fifo.directory().resolve("planted").toString());
            // a symlink to it can be made (it is only a name), but leads nowhere for its maker
            assertThat(Cmd.runAsNobody("ln", "-s", path, shared.resolve("link").toString()).status()).isZero();
            refused("open the FIFO through a symlink", "timeout", "5", "cat", shared.resolve("link").toString());
            Files.delete(shared.resolve("link"));

            assertThat(inode(fifo.directory())).isEqualTo(dirInode);
            assertThat(inode(fifo.path())).isEqualTo(fifoInode);
            assertThat(mode(fifo.directory())).isEqualTo(0040700);
            assertThat(mode(fifo.path())).isEqualTo(0010600);
            try (Stream<Path> entries = Files.list(fifo.directory())) {
                assertThat(entries).containsExactly(fifo.path());
            }
            assertThat(shared.resolve("stolen")).doesNotExist();
            assertThat(shared.resolve("hardlink")).doesNotExist();
            roundTrip(fifo);
        }
    }

    /** Under any umask (000 lets everyone in by default) the attacker still finds the door shut. */
    @ParameterizedTest
    @ValueSource(strings = {"000", "077", "0277"})
    void umaskDoesNotLetTheAttackerIn(String umask) throws Exception {
        try (Child child = Child.start(ChildJvm.withUmask(umask, ChildJvm.withDefaultSignals(
                ChildJvm.command(FifoChild.class, shared.toString(), "1", "own", "wait"))))) {
            Path dir = Path.of(child.linesUntil("ready").get(0));
            assertThat(mode(dir)).isEqualTo(0040700);
            assertThat(mode(dir.resolve("fifo"))).isEqualTo(0010600);
            refused("list", "ls", dir.toString());
            refused("open for writing", "timeout", "5", "sh", "-c", "echo pwned > \"$1\"", "sh", dir.resolve("fifo").toString());
            refused("remove", "rm", "-rf", dir.toString());
            child.process().destroy();
            assertThat(child.waitFor()).isEqualTo(143);
            assertThat(dir).doesNotExist();
        }
    }

    /**
     * Names are unpredictable: the attacker can't pre-create the private directory. Here
     * {@code nobody} plants 300 directories and symlinks with our prefix and owner suffix (all it
     * can know); we then create 300 FIFOs: none lands in a planted entry, every one is in a fresh
     * directory of ours, and the planted entries are untouched.
     */
    @Test
    void privateDirectoryNamesCanNotBePredictedOrPlanted() throws Exception {
        String suffix;
        try (TempFifo probe = TempFifo.builder().directory(shared).create()) {
            String name = probe.directory().getFileName().toString();
            suffix = name.substring(name.lastIndexOf('.'));
        }
        // nobody plants directories (to be moved into) and symlinks (to redirect us) in one go
        StringBuilder script = new StringBuilder("cd \"$1\" && mkdir theirs && for i in $(seq 1 150); do ");
        script.append("r=$(head -c 10 /dev/urandom | base32 | tr 'A-Z' 'a-z' | head -c 16); ");
        script.append("mkdir -m 777 tempfifo-$r").append(suffix).append("; ");
        script.append("r=$(head -c 10 /dev/urandom | base32 | tr 'A-Z' 'a-z' | head -c 16); ");
        script.append("ln -s theirs tempfifo-$r").append(suffix).append("; done");
        assertThat(Cmd.runAsNobody("sh", "-c", script.toString(), "sh", shared.toString()).status()).isZero();
        Set<Path> planted;
        try (Stream<Path> entries = Files.list(shared)) {
            planted = entries.collect(Collectors.toSet());
        }
        assertThat(planted).hasSize(301);

        List<TempFifo> ours = new ArrayList<>();
        try {
            Set<String> randoms = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                TempFifo f = TempFifo.builder().directory(shared).create();
                ours.add(f);
                assertThat(planted).doesNotContain(f.directory());
                assertThat(Files.getOwner(f.directory(), LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo("root");
                assertThat(mode(f.directory())).isEqualTo(0040700);
                randoms.add(f.directory().getFileName().toString().substring("tempfifo-".length(), "tempfifo-".length() + 16));
            }
            assertThat(randoms).hasSize(300);
            try (Stream<Path> entries = Files.list(shared.resolve("theirs"))) {
                assertThat(entries).as("nothing of ours went through a planted symlink").isEmpty();
            }
        } finally {
            for (TempFifo f : ours) {
                f.close();
            }
        }
        try (Stream<Path> entries = Files.list(shared)) {
            assertThat(entries.collect(Collectors.toSet())).isEqualTo(planted);
        }
        Cmd.run("rm", "-rf", shared.toString());
        shared = null;
    }

    /** A sticky base owned by the attacker is refused: a directory's owner can rename anything in it. */
    @Test
    void stickyBaseOwnedByTheAttackerIsRefused() throws Exception {
        Path theirs = shared.resolve("theirs");
        assertThat(Cmd.runAsNobody("mkdir", "-m", "1777", theirs.toString()).status()).isZero();
        assertThatThrownBy(() -> TempFifo.builder().directory(theirs).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining(theirs.toString())
                .hasMessageContaining("owned by uid");
        try (Stream<Path> entries = Files.list(theirs)) {
            assertThat(entries).isEmpty();
        }
    }

    /** A base path that is the attacker's symlink to the attacker's directory is refused likewise. */
    @Test
    void baseThatIsTheAttackersSymlinkToTheirDirectoryIsRefused() throws Exception {
        Path theirs = shared.resolve("theirs");
        Path link = shared.resolve("base");
        assertThat(Cmd.runAsNobody("mkdir", "-m", "700", theirs.toString()).status()).isZero();
        assertThat(Cmd.runAsNobody("ln", "-s", theirs.toString(), link.toString()).status()).isZero();
        assertThatThrownBy(() -> TempFifo.builder().directory(link).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("owned by uid");
        try (Stream<Path> entries = Files.list(theirs)) {
            assertThat(entries).isEmpty();
        }
    }

    /**
     * If the attacker still got their own directory and FIFO in place of ours (say, through a
     * base path they could redirect between its check and our mkdir), we refuse to open
     * anything: the path no longer leads to the FIFO we made (device and inode). Our data never
     * reaches them, nor theirs us; close() still removes our directory, where it is now, and
     * leaves theirs alone.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFifoOfAnotherUserInPlaceOfOursIsNotOpenedAndOursIsStillRemoved(boolean write) throws Exception {
        TempFifo fifo = TempFifo.builder().directory(shared).create();
        Path aside = shared.resolve("aside");
        try {
            Files.move(fifo.directory(), aside); // as root: stands for the attacker's swap
            assertThat(Cmd.runAsNobody("mkdir", "-m", "700", fifo.directory().toString()).status()).isZero();
            assertThat(Cmd.runAsNobody("mkfifo", "-m", "666", fifo.path().toString()).status()).isZero();
            Object theirs = inode(fifo.path());
            assertThatThrownBy(() -> {
                if (write) {
                    fifo.openOutputStream(Duration.ofSeconds(2)).close();
                } else {
                    fifo.openInputStream(Duration.ofSeconds(2)).close();
                }
            }).isInstanceOf(java.nio.file.FileSystemException.class)
                    .hasMessageContaining(fifo.path().toString())
                    .hasMessageContaining("no longer leads to the FIFO tempfifo made");
            fifo.close();
            assertThat(aside).as("ours, removed where it was moved to").doesNotExist();
            assertThat(inode(fifo.path())).as("theirs, untouched").isEqualTo(theirs);
        } finally {
            fifo.close();
            Cmd.run("rm", "-rf", fifo.directory().toString(), aside.toString());
        }
    }
}
