package io.github.tempfifo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A base directory that can't be used (--dir or $TMPDIR; mk, run, sweep): the error says which and why. */
class BaseDirectoryIT {
    @TempDir
    Path work;

    private static final String[][] COMMANDS = {
        {"mk"}, {"run", "--in", "echo x", "--", "cat", "{}"}, {"sweep"}};

    private void assertRefused(Path base, boolean asDir, String why) {
        assertRefused(base, asDir, why, COMMANDS);
    }

    private void assertRefused(Path base, boolean asDir, String why, String[]... commands) {
        for (String[] command : commands) {
            List<String> args = new ArrayList<>(List.of(command));
            if (asDir) {
                args.add(1, "--dir");
                args.add(2, base.toString());
            }
            Cli.Result r = Cli.run(asDir ? work : base, args.toArray(new String[0]));
            assertThat(r.status()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).as(String.join(" ", args)).matches("tempfifo: " + command[0] + ": base directory "
                    + java.util.regex.Pattern.quote(base.toString()) + " \\((--dir|\\$TMPDIR)\\): " + why + "\n");
        }
    }

    @Test
    void missing() {
        assertRefused(work.resolve("missing"), true, "does not exist");
        assertRefused(work.resolve("missing"), false, "does not exist");
    }

    @Test
    void notADirectory() throws IOException {
        Path file = Files.writeString(work.resolve("file"), "x");
        assertRefused(file, true, "is not a directory");
        assertRefused(file, false, "is not a directory");
    }

    @Test
    void unsafe() throws IOException {
        Path open = Files.createDirectory(work.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        // sweep only removes what is provably ours, in any directory
        assertRefused(open, true, "unsafe base directory: .*", COMMANDS[0], COMMANDS[1]);
    }

    /** As root, permission bits don't apply: the tempfifo command runs as nobody. */
    @Test
    void noPermission() throws Exception {
        assumeTrue(new ProcessBuilder("runuser", "-u", "nobody", "--", "true").start().waitFor() == 0, "runuser as nobody");
        // A clone under a directory only root may enter (e.g. /root) can't be run by nobody at all.
        assumeTrue(new ProcessBuilder("runuser", "-u", "nobody", "--", Cli.LAUNCHER.toString(), "--version")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0,
                "SKIPPED LOUDLY: nobody can't run " + Cli.LAUNCHER + " (the clone is in a directory nobody can't enter)");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path readOnly = Files.createDirectory(work.resolve("read-only"));  // root's, 0755: nobody can't create in it
        Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", "env", "TMPDIR=" + readOnly, Cli.LAUNCHER.toString(), "mk")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor()).as(err).isEqualTo(1);
        assertThat(err).isEqualTo("tempfifo: mk: base directory " + readOnly + " ($TMPDIR): no permission to create a directory in it\n");
        try (var entries = Files.list(readOnly)) {
            assertThat(entries).isEmpty();
        }
    }
}
