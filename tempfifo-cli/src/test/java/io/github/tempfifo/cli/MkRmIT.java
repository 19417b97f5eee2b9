package io.github.tempfifo.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tempfifo mk} and {@code rm}, and rm refusing (touching nothing) what is not ours. */
class MkRmIT {
    @TempDir
    Path base;

    @AfterEach
    void nothingLeft() throws IOException {
        Cli.assertEmpty(base);
    }

    private Path mk(String... extra) {
        String[] args = new String[extra.length + 1];
        args[0] = "mk";
        System.arraycopy(extra, 0, args, 1, extra.length);
        Cli.Result r = Cli.run(base, args);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return Path.of(r.out().trim());
    }

    @Test
    void mkMakesAPrivateFifoThatAShellCanUseAndRmRemovesIt() throws Exception {
        Path fifo = mk("--dir", base.toString());
        assertThat(fifo.getParent().getParent()).isEqualTo(base);
        assertThat(fifo.getParent().getFileName().toString()).startsWith("tempfifo-").endsWith(".unowned");
        assertThat(Files.readAttributes(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode")).isEqualTo(0010600);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo.getParent()))).isEqualTo("rwx------");
        Process writer = new ProcessBuilder("sh", "-c", "echo through > \"$1\"", "sh", fifo.toString()).start();
        assertThat(new String(new ProcessBuilder("cat", fifo.toString()).start().getInputStream().readAllBytes())).isEqualTo("through\n");
        assertThat(writer.waitFor()).isZero();

        Cli.Result r = Cli.run(base, "rm", fifo.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).isEmpty();
        assertThat(fifo.getParent()).doesNotExist();
    }

    @Test
    void mkUsesTmpdirAndAPrefixAndRecordsAnOwner() {
        ProcessHandle me = ProcessHandle.current();
        Path fifo = mk("--prefix", "job-", "--owner", Long.toString(me.pid()));
        assertThat(fifo.getParent().getParent()).isEqualTo(base); // TMPDIR=base, no --dir
        assertThat(fifo.getParent().getFileName().toString()).startsWith("job-").contains("." + me.pid() + "_");
        assertThat(Cli.run(base, "rm", fifo.toString()).status()).isZero();
    }

    @Test
    void rmRefusesARegularFileASymlinkAndAForeignFifoTouchingNothing() throws Exception {
        Path mine = mk();
        Path regular = Files.writeString(base.resolve("regular"), "data");
        Path link = Files.createSymbolicLink(base.resolve("link"), mine);
        Path foreignDir = Files.createDirectory(base.resolve("somedir"));
        Path foreign = foreignDir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", foreign.toString()).start().waitFor()).isZero();
        // A FIFO in a directory named like ours but holding something else too.
        Path lookalike = mk();
        Path extra = Files.writeString(lookalike.resolveSibling("extra"), "x");

        for (Path refused : new Path[] {regular, link, foreign, lookalike, foreignDir, base.resolve("missing")}) {
            Cli.Result r = Cli.run(base, "rm", refused.toString());
            assertThat(r.status()).as(refused.toString()).isEqualTo(1);
            assertThat(r.err()).startsWith("tempfifo: rm: " + refused + ": ");
        }
        assertThat(Files.readString(regular)).isEqualTo("data");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(mine).exists();
        assertThat(foreign).exists();
        assertThat(lookalike).exists();

        // One refused among good ones: the good ones go, the refused one stays, status 1.
        Cli.Result r = Cli.run(base, "rm", mine.toString(), regular.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(mine.getParent()).doesNotExist();
        assertThat(regular).exists();

        Files.delete(extra);
        assertThat(Cli.run(base, "rm", lookalike.toString()).status()).isZero();
        for (Path p : new Path[] {regular, link, foreign}) {
            Files.delete(p);
        }
        Files.delete(foreignDir);
    }
}
