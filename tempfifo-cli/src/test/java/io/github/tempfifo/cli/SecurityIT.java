package io.github.tempfifo.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 13 through the command line, on both backends: a base directory ({@code $TMPDIR} or
 * {@code --dir}) inside a directory of another user ({@code nobody}) is refused by {@code run},
 * {@code mk} and {@code sweep} before anything is created, while nobody runs the swap attack of
 * the issue; the program never reads the attacker's bytes, and nothing of ours is left.
 */
class SecurityIT {
    /** nobody's swap, a shell script shared with the other module's test of it. */
    private static final Path ATTACKER = Path.of("../tempfifo/src/test/sh/swap-attack.sh");

    @TempDir
    Path tmp;
    Path x;
    Path sub;

    @BeforeEach
    void layout() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as another user (nobody)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        x = Files.createDirectory(tmp.resolve("x"));
        assertThat(new ProcessBuilder("chown", "nobody", x.toString()).start().waitFor()).isZero();
        Files.setPosixFilePermissions(x, PosixFilePermissions.fromString("rwxrwxrwx"));
        sub = Files.createDirectory(x.resolve("sub"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void nothingOfOursAnywhere() throws IOException {
        if (x != null) {
            try (Stream<Path> all = Files.walk(tmp)) {
                assertThat(all.filter(p -> p.getFileName().toString().startsWith("tempfifo-")).collect(Collectors.toList()))
                        .as("left under %s", tmp).isEmpty();
            }
        }
    }

    private static Cli.Result tempfifo(String backend, Path tmpdir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Cli.LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("TMPDIR", tmpdir.toString());
        pb.environment().remove("XDG_RUNTIME_DIR");
        pb.environment().put("TEMPFIFO_JAVA_OPTS", "-Dtempfifo.backend=" + backend);
        Process p = pb.start();
        CompletableFuture<String> out = Cli.drain(p.getInputStream());
        CompletableFuture<String> err = Cli.drain(p.getErrorStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError("hung: tempfifo " + String.join(" ", args));
        }
        return new Cli.Result(p.exitValue(), out.join(), err.join());
    }

    private Process attacker(int seconds) throws IOException {
        return new ProcessBuilder("runuser", "-u", "nobody", "--", "sh", "-c", Files.readString(ATTACKER), "sh", sub.toString(),
                Integer.toString(seconds)).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private static String finish(Process attacker) throws Exception {
        assertThat(attacker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        try (var out = attacker.getInputStream()) {
            return new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static void stop(Process attacker) throws InterruptedException {
        attacker.descendants().forEach(ProcessHandle::destroyForcibly); // runuser forks sh
        attacker.destroyForcibly().waitFor();
    }

    private void refusedNamingTheAncestor(Cli.Result r) {
        assertThat(r.status()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(x + ": ").contains("owned by uid 65534, who could rename " + sub);
        assertThat(r.out()).doesNotContain("injected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "portable"})
    void runWithTmpdirUnderAnotherUsersDirectoryIsRefusedWhileTheAttackerWaits(String backend) throws Exception {
        Process attacker = attacker(15);
        try {
            Cli.Result r = tempfifo(backend, sub, "run", "--in", "echo data-from-root", "--",
                    "sh", "-c", "sleep 2; cat \"$1\"", "sh", "{}");
            refusedNamingTheAncestor(r);
            assertThat(r.out()).doesNotContain("data-from-root"); // PROGRAM never ran
            assertThat(finish(attacker)).as("the attacker never saw an entry of ours").isEqualTo("idle");
        } finally {
            stop(attacker); // also when an assertion failed: it must not go on swapping
        }
        Cli.assertEmpty(sub);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "portable"})
    void mkAndSweepRefuseSuchABaseFromTmpdirAndDir(String backend) throws Exception {
        refusedNamingTheAncestor(tempfifo(backend, sub, "mk"));
        refusedNamingTheAncestor(tempfifo(backend, tmp, "mk", "--dir", sub.toString()));
        refusedNamingTheAncestor(tempfifo(backend, sub, "sweep"));
        refusedNamingTheAncestor(tempfifo(backend, tmp, "run", "--dir", sub.toString(), "--in", "true", "--", "cat", "{}"));
        Cli.assertEmpty(sub);
    }
}
