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

    /** Two lines: {@code tempfifo: [COMMAND: ]reason} (as every error line), the hint to --help. */
    private void assertUsageError(String reasonFragment, String hint, String... args) {
        Cli.Result r = Cli.run(base, args);
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().split("\n")).as(r.err()).hasSize(2);
        String prefix = hint.equals("tempfifo") ? "tempfifo: " : "tempfifo: " + hint.substring("tempfifo ".length()) + ": ";
        assertThat(r.err().split("\n")[0]).startsWith(prefix).contains(reasonFragment)
                .doesNotMatch(prefix.replace(" ", "\\s") + "\\p{Lu}.*"); // lower case, as all our messages
        assertThat(r.err().split("\n")[1]).isEqualTo("Try '" + hint + " --help' for more information.");
    }

    @Test
    void unknownOptionOrCommand() {
        assertUsageError("unknown option: '--bogus'", "tempfifo run", "run", "--bogus", "x");
        assertUsageError("unknown option: '--frob'", "tempfifo", "--frob");
        assertUsageError("unknown command 'frobnicate' (the commands: run, mk, rm, sweep, help)", "tempfifo", "frobnicate");
        assertUsageError("unknown command 'frobnicate' (the commands: run, mk, rm, sweep, help)", "tempfifo", "help", "frobnicate");
        assertUsageError("missing command", "tempfifo");
        assertUsageError("unknown option: '--in=x'", "tempfifo mk", "mk", "--in=x");
        assertUsageError("unknown option: '--help=x'", "tempfifo run", "run", "--help=x", "cat");
        assertUsageError("unknown option: '--nope'", "tempfifo mk", "mk", "--nope");
        assertUsageError("missing required parameter", "tempfifo rm", "rm");
    }

    @Test
    void noProgram() {
        assertUsageError("missing PROGRAM", "tempfifo run", "run", "--in", "echo x");
        assertUsageError("missing PROGRAM", "tempfifo run", "run", "--in", "echo x", "--");
        assertUsageError("--in: missing CMD", "tempfifo run", "run", "--in");
        assertUsageError("--dir: missing DIR", "tempfifo run", "run", "--dir");
    }

    /** An empty CMD would feed or drain nothing: sh -c '' exits 0 at once. */
    @Test
    void emptyCmd() {
        assertUsageError("--in: missing CMD", "tempfifo run", "run", "--in=", "--", "cat", "{}");
        assertUsageError("--out: missing CMD", "tempfifo run", "run", "--out", " ", "--", "cat", "{}");
    }

    /** --share-access alone would make a FIFO shared with nobody, silently. */
    @Test
    void shareAccessWithoutWhomToShareWith() {
        assertUsageError("--share-access needs --share-with USER or --share-with-group GROUP", "tempfifo mk",
                "mk", "--share-access", "read");
    }

    @Test
    void placeholderOutOfRange() {
        assertUsageError("{3} in '--file={3}' refers to FIFO 3, but there are 2 FIFOs", "tempfifo run",
                "run", "--in", "true", "--out", "cat", "--", "cat", "--file={3}");
        assertUsageError("{0} in '{0}': FIFOs are numbered from 1 ({1} is the first --in or --out)", "tempfifo run",
                "run", "--in", "true", "--", "cat", "{0}");
        assertUsageError("there is no --in or --out", "tempfifo run", "run", "--", "cat", "{}");
        assertUsageError("{99999999999}", "tempfifo run", "run", "--in", "true", "--", "cat", "{99999999999}");
    }

    @Test
    void badValues() {
        assertUsageError("--prefix", "tempfifo run", "run", "--prefix", "a/b", "--in", "true", "--", "cat", "{}");
        assertUsageError("--prefix", "tempfifo mk", "mk", "--prefix", "a/b");
        assertUsageError("'5x' is not a duration", "tempfifo sweep", "sweep", "--older-than", "5x");
        assertUsageError("--owner", "tempfifo mk", "mk", "--owner", "999999999");
        assertUsageError("'abc' is not a process id", "tempfifo mk", "mk", "--owner", "abc");
        assertUsageError("PATH", "tempfifo rm", "rm");
    }

    /** An --in or --out that PROGRAM's arguments never name could only make the run silently do nothing. */
    @Test
    void aFifoThatProgramIsNeverToldOfIsAUsageError() {
        assertUsageError("--in 'seq 3' makes FIFO 1, which PROGRAM's arguments never name: put {1} where PROGRAM "
                + "expects its path ({} also means {1})", "tempfifo run", "run", "--in", "seq 3", "--", "cat");
        assertUsageError("--out 'wc -c' makes FIFO 2, which PROGRAM's arguments never name: put {2} where PROGRAM "
                + "expects its path", "tempfifo run", "run", "--in", "seq 3", "--out", "wc -c", "--", "cat", "{}");
    }

    @Test
    void noJavaWordsInAnyMessage() {
        for (String[] args : new String[][] {{"mk", "--owner", "abc"}, {"mk", "--owner", "1.5"},
                {"sweep", "--older-than", "x"}, {"run", "--in"}, {"frob"}, {"mk", "--dir"}}) {
            Cli.Result r = Cli.run(base, args);
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).doesNotContainPattern("(?i)\\b(long|int|integer|java\\.|exception|null|index \\d)\\b");
        }
    }

    @Test
    void helpCommand() {
        Cli.Result top = Cli.run(base, "help");
        assertThat(top.status()).as(top.err()).isZero();
        assertThat(top.out()).startsWith("Usage: tempfifo [-hV] [COMMAND]").contains("  help ");
        Cli.Result run = Cli.run(base, "help", "run");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(Cli.run(base, "run", "--help").out());
        for (String command : new String[] {"mk", "rm", "sweep"}) {
            Cli.Result r = Cli.run(base, "help", command);
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("Usage: tempfifo " + command);
        }
        Cli.Result unknown = Cli.run(base, "help", "frob");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo(Cli.run(base, "frob").err());
    }

    /** The help text: 80 columns, PROGRAM [ARG]... as printed, --, repeatable options, FIFOs from 1, no vague defaults, man page. */
    @ParameterizedTest
    @ValueSource(strings = {"", "run", "mk", "rm", "sweep"})
    void helpText(String command) {
        Cli.Result r = Cli.run(base, command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"});
        assertThat(r.out().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        assertThat(r.out()).doesNotContain("library's default").doesNotContain("......");
        assertThat(r.out().lines()).contains("Documentation: man tempfifo");
        if (command.equals("run")) {
            String synopsis = r.out().substring(0, r.out().indexOf("\n\n")).replaceAll("\\s+", " ");
            assertThat(synopsis).contains("[--in=CMD]... [--out=CMD]...").endsWith("[--] PROGRAM [ARG]... Run PROGRAM "
                    + "with FIFOs in place of {N} in its arguments, each fed by or feeding a shell command CMD, like <(CMD) "
                    + "and >(CMD) in bash.");
            assertThat(r.out()).contains("numbered from 1");
        }
        if (command.equals("mk")) {
            // $$ (the shell's pid) in the example and --owner, not "$" (picocli's escape, interpolated twice)
            assertThat(r.out()).contains("  fifo=$(tempfifo mk --owner $$) || exit").contains("e.g. $$ in a script")
                    .contains("open the FIFO ").doesNotContain("open the FIFOs");
        }
        if (command.equals("sweep")) {
            assertThat(r.out().replaceAll("\\s+", " ")).contains("mode (0700, or 0710 if shared");
        }
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
