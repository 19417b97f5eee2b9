package io.github.tempfifo.hostile;

import io.github.tempfifo.FifoProcess;
import io.github.tempfifo.FifoProcessBuilder;
import io.github.tempfifo.TempFifo;
import io.github.tempfifo.testing.Cmd;
import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 13: a base directory whose path another user ({@code nobody}) can redirect is never
 * used — every directory from {@code /} to the base is checked, symbolic links resolved — and
 * deep bases that no one else can redirect still work.
 *
 * <p>The attack (from the issue): {@code x} is nobody's (0777), {@code x/sub} is root's (0755)
 * and is the base. While the consumer sleeps, nobody lists {@code sub} to learn the private
 * directory's name, renames {@code sub} away (it owns {@code x}), and puts
 * {@code sub/<same name>/fifo} of its own in its place, writing into it. A control run against a
 * directory laid out by hand shows that the attacker's script does get its bytes to a reader;
 * against tempfifo the run is refused before anything is created.
 */
@ExtendWith(NoLeaks.class)
class RedirectedBaseTest {
    /** nobody's swap, a shell script shared with the other module's test of it. */
    private static final Path ATTACKER = Path.of("src/test/sh/swap-attack.sh");

    @TempDir
    Path tmp;
    Path x;
    Path sub;

    @BeforeEach
    void layout() throws Exception {
        assumeTrue(Cmd.isRoot(), "needs root to act as another user (nobody)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        x = Files.createDirectory(tmp.resolve("x"));
        assertThat(Cmd.run("chown", "nobody", x.toString()).status()).isZero();
        assertThat(Cmd.run("chmod", "0777", x.toString()).status()).isZero();
        sub = Files.createDirectory(x.resolve("sub"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void nothingOfOursAnywhere() throws IOException {
        if (x != null) {
            assertThat(ours(tmp)).as("tempfifo's directories left under %s", tmp).isEmpty();
        }
    }

    /** Every tempfifo private directory under {@code dir}, at any depth. */
    static List<Path> ours(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().startsWith("tempfifo-")).collect(Collectors.toList());
        }
    }

    private Process attacker(Path target, int seconds) throws IOException {
        return new ProcessBuilder("runuser", "-u", "nobody", "--", "sh", "-c", Files.readString(ATTACKER), "sh", target.toString(),
                Integer.toString(seconds)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    private static String finish(Process attacker) throws Exception {
        assertThat(attacker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (var out = attacker.getInputStream()) {
            return new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    /** The control: laid out by hand as the issue's run did, the attacker's bytes reach the reader. */
    @Test
    void controlTheAttackerScriptDoesHijackAnUncheckedPath() throws Exception {
        // made aside, then moved in whole: the attacker sees the directory only with its FIFO in it
        Path staging = Files.createDirectory(tmp.resolve("staging"));
        Path made = Files.createDirectory(staging.resolve("tempfifo-control"));
        assertThat(Cmd.run("mkfifo", "-m", "600", made.resolve("fifo").toString()).status()).isZero();
        Process attacker = attacker(sub, 20);
        try {
            Path fifo = Files.move(made, sub.resolve("tempfifo-control")).resolve("fifo");
            // the consumer, as root, reads the path after a while: it gets nobody's FIFO
            Cmd.Result consumer = Cmd.run("sh", "-c", "sleep 2; timeout 20 cat \"$1\"", "sh", fifo.toString());
            assertThat(finish(attacker)).isEqualTo("swapped");
            assertThat(consumer.out()).contains("injected by nobody");
        } finally {
            attacker.destroyForcibly().waitFor();
            attacker.getInputStream().close();
            Cmd.run("rm", "-rf", sub.toString(), sub + ".old", staging.toString());
        }
    }

    @Test
    void theIssuesSwapIsRefusedUpFrontAndTheConsumerNeverReadsTheAttackersBytes() throws Exception {
        Process attacker = attacker(sub, 4);
        try {
            try (FifoProcessBuilder pb = new FifoProcessBuilder().fifoBuilder(TempFifo.builder().directory(sub))) {
                assertThatThrownBy(() -> {
                    Path in = pb.inputFrom("data-from-root\n".getBytes(StandardCharsets.UTF_8));
                    pb.command("sh", "-c", "sleep 2; cat \"$1\"", "sh", in.toString());
                    try (FifoProcess p = pb.start()) {
                        p.waitFor();
                    }
                }).isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining(x + ": ")
                        .hasMessageContaining("owned by uid 65534, who could rename " + sub);
            }
            assertThat(finish(attacker)).as("the attacker never saw an entry of ours").isEqualTo("idle");
        } finally {
            // also when an assertion failed: it must not go on swapping (runuser forks sh)
            attacker.descendants().forEach(ProcessHandle::destroyForcibly);
            attacker.destroyForcibly().waitFor();
        }
        assertThat(ours(tmp)).isEmpty();
        try (Stream<Path> entries = Files.list(sub)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void aSymlinkedBaseWhoseTargetIsUnderTheAttackersDirectoryIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("x/sub")); // root's own link, relative
        assertThatThrownBy(() -> TempFifo.builder().directory(link).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining(x + ": ")
                .hasMessageContaining("owned by uid 65534");
        Path absolute = Files.createSymbolicLink(tmp.resolve("absolute"), sub);
        assertThatThrownBy(() -> TempFifo.builder().directory(absolute.resolve(".")).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining(x + ": ");
        assertThatThrownBy(() -> TempFifo.sweep(link)).isInstanceOf(AccessDeniedException.class);
        Files.delete(link);
        Files.delete(absolute);
    }

    @Test
    void aSymlinkOfTheAttackerOnTheWayIsRefused() throws Exception {
        Path sticky = Files.createDirectory(tmp.resolve("sticky"));
        assertThat(Cmd.run("chmod", "1777", sticky.toString()).status()).isZero();
        Path safe = Files.createDirectory(tmp.resolve("safe"));
        Path link = sticky.resolve("link");
        // nobody's link to a safe directory: nobody could point it elsewhere at any time
        assertThat(Cmd.runAsNobody("ln", "-s", safe.toString(), link.toString()).status()).isZero();
        assertThatThrownBy(() -> TempFifo.builder().directory(link).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining(link + ": ")
                .hasMessageContaining("symbolic link owned by uid 65534");
        Cmd.run("rm", "-rf", sticky.toString(), safe.toString());
    }

    @Test
    void anAncestorWritableByOthersWithoutTheStickyBitIsRefused() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path deep = Files.createDirectories(open.resolve("a/b"));
        assertThatThrownBy(() -> TempFifo.builder().directory(deep).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining(open + ": ")
                .hasMessageContaining("mode 0777 lets other users rename " + open.resolve("a"));
        // group-writable counts too
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThatThrownBy(() -> TempFifo.builder().directory(deep).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("mode 0775");
        assertThatThrownBy(() -> TempFifo.findStale(deep, java.time.Duration.ZERO)).isInstanceOf(AccessDeniedException.class);
        assertThat(ours(open)).isEmpty();
    }

    @Test
    void deepSafeBasesStillWork() throws Exception {
        Path deep = Files.createDirectories(tmp.resolve("a/b/c")); // root's, 0755 each (umask 022) or less
        for (Path p = deep; !p.equals(tmp); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path sticky = Files.createDirectory(tmp.resolve("sticky"));
        assertThat(Cmd.run("chmod", "1777", sticky.toString()).status()).isZero();
        Path underSticky = Files.createDirectories(sticky.resolve("d/e"));
        Path viaLink = Files.createSymbolicLink(tmp.resolve("to-c"), deep);
        for (Path base : List.of(deep, underSticky, viaLink, deep.resolve("../c"))) {
            try (TempFifo fifo = TempFifo.builder().directory(base).create()) {
                assertThat(fifo.path()).exists();
                // a consumer (root) reads the path: it gets our bytes
                Process cat = new ProcessBuilder("cat", fifo.path().toString()).start();
                try (var out = fifo.openOutputStream(java.time.Duration.ofSeconds(20))) {
                    out.write("ours\n".getBytes(StandardCharsets.UTF_8));
                }
                assertThat(new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ours\n");
                assertThat(cat.waitFor()).isZero();
            }
            assertThat(TempFifo.sweep(base)).isEmpty();
        }
        assertThat(ours(tmp)).isEmpty();
        Files.delete(viaLink);
    }

    /**
     * The per-base check is cached by the base's identity: a base path that comes to lead to
     * another directory is checked again in full.
     */
    @Test
    void aBaseReplacedAfterItsFirstCheckIsCheckedAgain() throws Exception {
        Path parent = Files.createDirectory(tmp.resolve("p"));
        Path base = Files.createDirectory(parent.resolve("base"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        TempFifo.builder().directory(base).create().close();
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.move(base, parent.resolve("old"));
        Files.createDirectory(base);
        assertThatThrownBy(() -> TempFifo.builder().directory(base).create())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining(parent + ": ");
        assertThat(ours(parent)).isEmpty();
    }

    /**
     * Everything after the check goes through the held private directory: when a directory on
     * the path is swapped after creation (as root here, standing for anyone who could), opens of
     * the path fail with a clear error, and close() removes our directory where it now is and
     * leaves the impostor's alone. (The ancestor check keeps other users from doing this.)
     */
    @Test
    void aSwapAfterCreationMakesOpensFailAndCloseStillRemovesOursOnly() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("safe/base"));
        Files.setPosixFilePermissions(base.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        TempFifo fifo = TempFifo.builder().directory(base).create();
        Path old = base.resolveSibling("base.old");
        try {
            Files.move(base, old);
            Path impostor = Files.createDirectories(fifo.directory());
            assertThat(Cmd.run("mkfifo", "-m", "600", fifo.path().toString()).status()).isZero();
            for (boolean write : new boolean[] {false, true}) {
                assertThatThrownBy(() -> {
                    if (write) {
                        fifo.openOutputStream(java.time.Duration.ofSeconds(2)).close();
                    } else {
                        fifo.openInputStream(java.time.Duration.ofSeconds(2)).close();
                    }
                }).isInstanceOf(java.nio.file.FileSystemException.class)
                        .hasMessageContaining(fifo.path().toString())
                        .hasMessageContaining("no longer leads to the FIFO tempfifo made");
            }
            fifo.close();
            assertThat(ours(old)).as("ours, removed in the renamed base").isEmpty();
            assertThat(fifo.path()).as("the impostor's FIFO, untouched").exists();
            assertThat(impostor).exists();
        } finally {
            fifo.close();
            Cmd.run("rm", "-rf", base.toString(), old.toString());
        }
    }
}
