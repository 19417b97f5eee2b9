package io.github.tempfifo.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors exit 2 with a one-line reason and a hint to --help; --help and --version work everywhere. */
class UsageIT {
    @TempDir
    Path base;

    @AfterEach
    void nothingCreated() throws IOException {
        Cli.assertEmpty(base);
    }

    private void assertUsageError(String reasonFragment, String hint, String... args) {
        Cli.Result r = Cli.run(base, args);
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().split("\n")).as(r.err()).hasSize(2);
        assertThat(r.err().split("\n")[0]).startsWith("tempfifo: ").contains(reasonFragment);
        assertThat(r.err().split("\n")[1]).isEqualTo("Try '" + hint + " --help' for more information.");
    }

    @Test
    void unknownOptionOrCommand() {
        assertUsageError("Unknown option: '--bogus'", "tempfifo run", "run", "--bogus", "x");
        assertUsageError("Unknown option: '--frob'", "tempfifo", "--frob");
        assertUsageError("'frobnicate'", "tempfifo", "frobnicate");
        assertUsageError("missing command", "tempfifo");
        assertUsageError("Unknown option: '--nope'", "tempfifo mk", "mk", "--nope");
    }

    @Test
    void noProgram() {
        assertUsageError("PROGRAM", "tempfifo run", "run", "--in", "echo x");
        assertUsageError("PROGRAM", "tempfifo run", "run", "--in", "echo x", "--");
        assertUsageError("--in", "tempfifo run", "run", "--in");
    }

    @Test
    void placeholderOutOfRange() {
        assertUsageError("{3} in '--file={3}' refers to FIFO 3, but there are 2 FIFOs", "tempfifo run",
                "run", "--in", "true", "--out", "cat", "--", "cat", "--file={3}");
        assertUsageError("{0}", "tempfifo run", "run", "--in", "true", "--", "cat", "{0}");
        assertUsageError("there is no --in or --out", "tempfifo run", "run", "--", "cat", "{}");
        assertUsageError("{99999999999}", "tempfifo run", "run", "--in", "true", "--", "cat", "{99999999999}");
    }

    @Test
    void badValues() {
        assertUsageError("--prefix", "tempfifo run", "run", "--prefix", "a/b", "--in", "true", "--", "cat", "{}");
        assertUsageError("--prefix", "tempfifo mk", "mk", "--prefix", "a/b");
        assertUsageError("'5x' is not a duration", "tempfifo sweep", "sweep", "--older-than", "5x");
        assertUsageError("--owner", "tempfifo mk", "mk", "--owner", "999999999");
        assertUsageError("PATH", "tempfifo rm", "rm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "mk", "rm", "sweep"})
    void helpAndVersionOnEveryCommand(String command) {
        String[] help = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
        Cli.Result r = Cli.run(base, help);
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Usage: tempfifo" + (command.isEmpty() ? "" : " " + command));
        String[] version = command.isEmpty() ? new String[] {"--version"} : new String[] {command, "--version"};
        r = Cli.run(base, version);
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("tempfifo 0.");
    }
}
