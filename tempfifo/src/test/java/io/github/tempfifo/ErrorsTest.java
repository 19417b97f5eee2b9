package io.github.tempfifo;

import io.github.tempfifo.testing.Cmd;
import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Failures map to the java.nio.file exceptions, name the path, and leave nothing behind. */
@ExtendWith(NoLeaks.class)
class ErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void missingBaseDirectory() {
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> TempFifo.builder().directory(missing).create())
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
        assertThat(missing).doesNotExist();
    }

    @Test
    void baseDirectoryThatIsAFile() throws Exception {
        Path file = Files.createFile(tmp.resolve("file"));
        assertThatThrownBy(() -> TempFifo.builder().directory(file).create())
                .isInstanceOf(NotDirectoryException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void baseDirectoryWritableByOthersWithoutStickyBitIsRefused() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> TempFifo.builder().directory(shared).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining(shared.toString())
                .hasMessageContaining("sticky");
        try (var entries = Files.list(shared)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void stickyWorldWritableBaseDirectoryLikeTmpIsFine() throws Exception {
        Path sticky = Files.createDirectory(tmp.resolve("sticky"));
        Cmd.run("chmod", "1777", sticky.toString());
        try (TempFifo fifo = TempFifo.builder().directory(sticky).create()) {
            assertThat(fifo.path()).exists();
        }
        try (var entries = Files.list(sticky)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void baseDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        assumeTrue(Cmd.isRoot(), "needs root to give a directory to another user");
        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        assertThat(Cmd.run("chown", "nobody", theirs.toString()).status()).isZero();
        assertThatThrownBy(() -> TempFifo.builder().directory(theirs).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining(theirs.toString())
                .hasMessageContaining("owned by uid");
        try (var entries = Files.list(theirs)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void baseDirectoryWeCannotWriteTo() throws Exception {
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        if (Cmd.isRoot()) {
            // root ignores permission bits; an immutable directory refuses even root (EPERM)
            assumeTrue(Cmd.run("chattr", "+i", locked.toString()).status() == 0, "chattr +i not supported here");
        } else {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        }
        try {
            assertThatThrownBy(() -> TempFifo.builder().directory(locked).create())
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining(locked.toString());
        } finally {
            if (Cmd.isRoot()) {
                Cmd.run("chattr", "-i", locked.toString());
            }
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
        try (var entries = Files.list(locked)) {
            assertThat(entries).isEmpty();
        }
    }

    /** A file system with room for the private directory but not the FIFO: the directory goes too. */
    @Test
    void failureAfterTheDirectoryRemovesIt() throws Exception {
        assumeTrue(Cmd.isRoot(), "needs root to mount a tmpfs");
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        // inodes: the root of the tmpfs and one more (our directory); mkfifo then fails
        assumeTrue(Cmd.run("mount", "-t", "tmpfs", "-o", "size=64k,nr_inodes=2,mode=0700", "tmpfs", mnt.toString()).status() == 0,
                "could not mount a tmpfs");
        try {
            assertThatThrownBy(() -> TempFifo.builder().directory(mnt).create())
                    .isInstanceOf(FileSystemException.class)
                    .hasMessageContaining(mnt.toString())
                    .hasMessageContaining("No space left on device");
            try (var entries = Files.list(mnt)) {
                assertThat(entries).isEmpty();
            }
        } finally {
            assertThat(Cmd.run("umount", mnt.toString()).status()).isZero();
        }
    }

    @Test
    void readOnlyFileSystem() throws Exception {
        assumeTrue(Cmd.isRoot(), "needs root to mount a tmpfs");
        Path mnt = Files.createDirectory(tmp.resolve("ro"));
        assumeTrue(Cmd.run("mount", "-t", "tmpfs", "-o", "size=64k,ro,mode=0700", "tmpfs", mnt.toString()).status() == 0,
                "could not mount a tmpfs");
        try {
            assertThatThrownBy(() -> TempFifo.builder().directory(mnt).create())
                    .isInstanceOf(FileSystemException.class)
                    .hasMessageContaining(mnt.toString())
                    .hasMessageContaining("Read-only file system");
        } finally {
            assertThat(Cmd.run("umount", mnt.toString()).status()).isZero();
        }
    }

    @Test
    void openingAFifoThatWasRemovedNamesIt() throws Exception {
        try (TempFifo fifo = TempFifo.builder().directory(tmp).create()) {
            Files.delete(fifo.path());
            assertThatThrownBy(() -> fifo.openInputStream(java.time.Duration.ofSeconds(1)))
                    .isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining(fifo.path().toString());
        }
        try (var entries = Files.list(tmp)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void somethingElsePlantedAtTheFifosPathIsNotOpened() throws Exception {
        try (TempFifo fifo = TempFifo.builder().directory(tmp).create()) {
            Path target = Files.writeString(tmp.resolve("target"), "secret");
            Files.delete(fifo.path());
            Files.createSymbolicLink(fifo.path(), target);
            assertThatThrownBy(() -> fifo.openOutputStream(java.time.Duration.ofSeconds(1)))
                    .isInstanceOf(FileSystemException.class)
                    .hasMessageContaining(fifo.path().toString())
                    .hasMessageContaining("symbolic link");
            Files.delete(fifo.path());
            Files.writeString(fifo.path(), "regular");
            assertThatThrownBy(() -> fifo.openInputStream(java.time.Duration.ofSeconds(1)))
                    .isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("not a FIFO");
            assertThat(Files.readString(target)).isEqualTo("secret");
            Files.delete(fifo.path());
            Files.delete(target);
        }
    }
}
