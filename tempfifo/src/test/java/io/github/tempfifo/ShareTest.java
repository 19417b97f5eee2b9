package io.github.tempfifo;

import io.github.tempfifo.testing.Child;
import io.github.tempfifo.testing.ChildJvm;
import io.github.tempfifo.testing.Cmd;
import io.github.tempfifo.testing.FifoChild;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 10, items 1 to 3: {@code shareWith} gives another user (here {@code postgres}) just the
 * access asked, and no one else ({@code nobody}) anything; shared private directories are still
 * tempfifo's own for {@code delete} and {@code sweep}, and planted look-alikes are not. Runs as
 * root, acting as the other users with {@code runuser}, on both backends (two surefire passes).
 */
class ShareTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static UserPrincipal postgres;
    private static GroupPrincipal postgresGroup;
    private Path base;

    @BeforeAll
    static void users() throws IOException {
        assumeTrue(Cmd.isRoot(), "needs root to act as the users postgres and nobody");
        assumeTrue(Cmd.run("id", "postgres").status() == 0, "needs the user postgres");
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        postgres = users.lookupPrincipalByName("postgres");
        postgresGroup = users.lookupPrincipalByGroupName("postgres");
    }

    @BeforeEach
    void makeBase() throws IOException {
        base = Files.createTempDirectory(Path.of("/tmp"), "share-test-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeBase() throws IOException {
        Cmd.run("umount", base.resolve("ramfs").toString());
        assertThat(Cmd.run("rm", "-rf", "--one-file-system", base.toString()).status()).isZero();
    }

    @Test
    void aUserGetsJustTheModeAskedByAcl() throws Exception {
        try (TempFifo fifo = TempFifo.builder().directory(base).shareWith(postgres, AccessMode.READ).create()) {
            assertThat(mode(fifo.directory())).isEqualTo("rwx--x---"); // the mask caps postgres at search
            assertThat(mode(fifo.path())).isEqualTo("rw-r-----");
            assertThat(acl(fifo.path())).contains("user:postgres:r--", "group::---", "mask::r--", "other::---");
            assertThat(acl(fifo.directory())).contains("user:postgres:--x", "group::---", "mask::--x", "other::---");

            // postgres reads what we write
            Process cat = new ProcessBuilder("runuser", "-u", "postgres", "--", "cat", fifo.path().toString()).start();
            try (OutputStream out = fifo.openOutputStream(WAIT, cat.toHandle())) {
                out.write("for postgres\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("for postgres\n");
            assertThat(cat.waitFor()).isZero();

            // and nothing more: no write, no listing
            assertDenied(Cmd.run("runuser", "-u", "postgres", "--", "sh", "-c", "echo x > \"$1\"", "sh", fifo.path().toString()));
            assertDenied(Cmd.run("runuser", "-u", "postgres", "--", "ls", fifo.directory().toString()));
            // nobody: nothing at all
            assertDenied(Cmd.runAsNobody("timeout", "10", "cat", fifo.path().toString()));
            assertDenied(Cmd.runAsNobody("ls", fifo.directory().toString()));
            assertDenied(Cmd.runAsNobody("sh", "-c", "echo x > \"$1\"", "sh", fifo.path().toString()));
        }
        assertThat(base).isEmptyDirectory();
    }

    @Test
    void aGroupRootMayGiveItsFilesIsSharedByGroupAndModeBits() throws Exception {
        try (TempFifo fifo = TempFifo.builder().directory(base).shareWith(postgresGroup, AccessMode.WRITE).create()) {
            assertThat(mode(fifo.directory())).isEqualTo("rwx--x---");
            assertThat(mode(fifo.path())).isEqualTo("rw--w----");
            assertThat(Files.readAttributes(fifo.path(), java.nio.file.attribute.PosixFileAttributes.class).group())
                    .isEqualTo(postgresGroup);
            assertThat(acl(fifo.path())).doesNotContain("group:postgres"); // no ACL needed
            Process echo = new ProcessBuilder("runuser", "-u", "postgres", "--", "sh", "-c", "echo from-postgres > \"$1\"",
                    "sh", fifo.path().toString()).start();
            try (InputStream in = fifo.openInputStream(WAIT, echo.toHandle())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from-postgres\n");
            }
            assertThat(echo.waitFor()).isZero();
            assertDenied(Cmd.run("runuser", "-u", "postgres", "--", "timeout", "10", "cat", fifo.path().toString()));
            assertDenied(Cmd.runAsNobody("sh", "-c", "echo x > \"$1\"", "sh", fifo.path().toString()));
            assertDenied(Cmd.runAsNobody("ls", fifo.directory().toString()));
        }
        assertThat(base).isEmptyDirectory();
    }

    @Test
    void severalPrincipalsAndBothModesAddUp() throws Exception {
        UserPrincipal nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try (TempFifo fifo = TempFifo.builder().directory(base).shareWith(postgres, AccessMode.READ)
                .shareWith(postgres, AccessMode.WRITE).shareWith(nobody, AccessMode.READ).shareWith(postgresGroup, AccessMode.READ)
                .create()) {
            assertThat(acl(fifo.path())).contains("user:postgres:rw-", "user:nobody:r--", "group:postgres:r--", "mask::rw-");
            assertThat(acl(fifo.directory())).contains("user:postgres:--x", "user:nobody:--x", "group:postgres:--x");
        }
    }

    @Test
    void modesAreChecked() {
        TempFifo.Builder b = TempFifo.builder();
        assertThatThrownBy(() -> b.shareWith(postgres)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.shareWith(postgres, AccessMode.READ, AccessMode.EXECUTE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("READ and/or WRITE");
        assertThatThrownBy(() -> b.shareWith(null, AccessMode.READ)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aBaseThePrincipalCantReachIsRefusedBeforeAnythingIsMade() throws Exception {
        Path closed = Files.createDirectory(base.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path inner = Files.createDirectory(closed.resolve("inner"));
        assertThatThrownBy(() -> TempFifo.builder().directory(inner).shareWith(postgres, AccessMode.READ).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("user postgres").hasMessageContaining(closed.toString())
                .satisfies(e -> assertThat(((AccessDeniedException) e).getFile()).isEqualTo(closed.toString()));
        assertThat(inner).isEmptyDirectory();
    }

    @Test
    void theDefaultBaseWithSharingIsOneThePrincipalReaches() throws Exception {
        try (TempFifo fifo = TempFifo.builder().shareWith(postgres, AccessMode.READ).create()) {
            Path chosen = fifo.directory().getParent();
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            if (xdg != null) {
                assertThat(chosen).isNotEqualTo(Path.of(xdg));
            }
            assertThat(Cmd.run("runuser", "-u", "postgres", "--", "test", "-p", fifo.path().toString()).status())
                    .as("postgres reaches " + fifo.path()).isZero();
        }
    }

    @Test
    void withoutAclsTheErrorSaysWhatIsMissingAndNothingIsLeft() throws Exception {
        Path ramfs = Files.createDirectory(base.resolve("ramfs")); // ramfs has no extended attributes, so no ACLs
        assumeTrue(Cmd.run("mount", "-t", "ramfs", "-o", "mode=0755", "ramfs", ramfs.toString()).status() == 0,
                "could not mount a ramfs");
        assertThatThrownBy(() -> TempFifo.builder().directory(ramfs).shareWith(postgres, AccessMode.READ).create())
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("no POSIX ACLs on this file system; share with a group you belong to");
        assertThat(ramfs).isEmptyDirectory();
        // the group route needs no ACLs
        try (TempFifo fifo = TempFifo.builder().directory(ramfs).shareWith(postgresGroup, AccessMode.READ).create()) {
            assertThat(mode(fifo.path())).isEqualTo("rw-r-----");
        }
        assertThat(ramfs).isEmptyDirectory();
    }

    // ------------------------------------------------------------ still ours; look-alikes not

    @Test
    void deleteAndSweepRemoveSharedDirectories() throws Exception {
        // closed at the end (after delete and sweep removed their files): no directory descriptor left to the Cleaner
        try (TempFifo byAcl = TempFifo.builder().directory(base).deleteOnExit(false).unowned().shareWith(postgres, AccessMode.READ).create();
             TempFifo byGroup = TempFifo.builder().directory(base).deleteOnExit(false).unowned().shareWith(postgresGroup, AccessMode.READ).create();
             TempFifo deleted = TempFifo.builder().directory(base).deleteOnExit(false).unowned().shareWith(postgres, AccessMode.WRITE).create()) {
            TempFifo.delete(deleted.path());
            assertThat(deleted.directory()).doesNotExist();
            Thread.sleep(20);
            assertThat(TempFifo.findStale(base, Duration.ZERO)).containsExactlyInAnyOrder(byAcl.directory(), byGroup.directory());
            assertThat(TempFifo.sweep(base, Duration.ZERO)).containsExactlyInAnyOrder(byAcl.directory(), byGroup.directory());
            assertThat(base).isEmptyDirectory();
        }
    }

    @Test
    void plantedAclLessOrWrongGroupFifosAreRefused() throws Exception {
        // Look-alikes of shared directories, made by hand: an ACL-shared directory holding a FIFO
        // whose group bits come from no ACL (its owning group could read it), a group-shared
        // directory whose FIFO has another group, and a FIFO others may read.
        Path aclLess = planted("tempfifo-aaaaaaaaaaaaaaaa.unowned", "0640");
        assertThat(Cmd.run("setfacl", "-m", "u:postgres:--x", aclLess.getParent().toString()).status()).isZero();
        Path wrongGroup = planted("tempfifo-bbbbbbbbbbbbbbbb.unowned", "0640");
        assertThat(Cmd.run("chgrp", "postgres", wrongGroup.getParent().toString()).status()).isZero();
        assertThat(Cmd.run("chgrp", "nogroup", wrongGroup.toString()).status()).isZero();
        Path openToOthers = planted("tempfifo-cccccccccccccccc.unowned", "0604");
        Thread.sleep(20);

        for (Path fifo : List.of(aclLess, wrongGroup, openToOthers)) {
            assertThatThrownBy(() -> TempFifo.delete(fifo)).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("not a FIFO tempfifo made");
        }
        assertThat(TempFifo.sweep(base, Duration.ZERO)).isEmpty();
        assertThat(Stream.of(aclLess, wrongGroup, openToOthers)).allMatch(Files::exists);

        // made right, the same directories are ours
        assertThat(Cmd.run("setfacl", "-m", "u:postgres:r--", aclLess.toString()).status()).isZero();
        assertThat(Cmd.run("chgrp", "postgres", wrongGroup.toString()).status()).isZero();
        TempFifo.delete(aclLess);
        TempFifo.delete(wrongGroup);
        assertThat(aclLess.getParent()).doesNotExist();
        assertThat(wrongGroup.getParent()).doesNotExist();
    }

    @Test
    void exitCleanupAndSweepAfterACrashRemoveSharedDirectories() throws Exception {
        List<String> share = List.of("-Dtempfifo.test.shareWith=postgres");
        List<Path> exited;
        try (Child child = Child.start(ChildJvm.command(share, FifoChild.class, base.toString(), "2", "own", "exit"))) {
            exited = child.linesUntil("ready").stream().map(Path::of).collect(Collectors.toList());
            assertThat(child.waitFor()).as(child.stderr()).isZero();
        }
        assertThat(exited).hasSize(2).allSatisfy(d -> assertThat(d).doesNotExist()); // removed by the exit hook

        List<Path> killed;
        try (Child child = Child.start(ChildJvm.command(share, FifoChild.class, base.toString(), "2", "own", "wait"))) {
            killed = child.linesUntil("ready").stream().map(Path::of).sorted().collect(Collectors.toList());
            assertThat(killed).allSatisfy(d -> assertThat(mode(d)).isEqualTo("rwx--x---"));
            child.process().destroyForcibly();
            child.waitFor();
        }
        assertThat(TempFifo.findStale(base, Duration.ofHours(1))).isEqualTo(killed);
        assertThat(TempFifo.sweep(base, Duration.ofHours(1))).isEqualTo(killed);
        assertThat(base).isEmptyDirectory();
    }

    /** A directory with our name shape, mode 0710, holding a FIFO of the given mode. */
    private Path planted(String name, String fifoMode) throws IOException {
        Path dir = Files.createDirectory(base.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x---"));
        Path fifo = dir.resolve("fifo");
        assertThat(Cmd.run("mkfifo", "-m", fifoMode, fifo.toString()).status()).isZero();
        return fifo;
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    static String acl(Path p) {
        Cmd.Result r = Cmd.run("getfacl", "-p", p.toString());
        assertThat(r.status()).as(r.err()).isZero();
        return r.out();
    }

    static void assertDenied(Cmd.Result r) {
        assertThat(r.status()).as("refused: " + r).isNotZero().isNotEqualTo(124);
        assertThat(r.err()).contains("Permission denied");
    }
}
