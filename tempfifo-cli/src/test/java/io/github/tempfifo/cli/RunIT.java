package io.github.tempfifo.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tempfifo run} through bin/tempfifo with real programs; the base directory is empty after each. */
class RunIT {
    @TempDir
    Path base;
    @TempDir
    Path work;

    @AfterEach
    void nothingLeft() throws IOException {
        Cli.assertEmpty(base);
    }

    @Test
    void diffOfTwoGeneratedInputs() {
        Cli.Result r = Cli.run(base, "run", "--dir", base.toString(),
                "--in", "printf 'one\\ntwo\\n'", "--in", "printf 'one\\nthree\\n'", "--", "diff", "{1}", "{2}");
        assertThat(r.status()).as(r.err()).isEqualTo(1); // diff's: the inputs differ
        assertThat(r.out()).isEqualTo("2c2\n< two\n---\n> three\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void severalInputsAndOutputsAtOnceNumberedInCommandLineOrder() throws IOException {
        Path copy = work.resolve("copy");
        Cli.Result r = Cli.run(base, "run",
                "--out", "cat > '" + copy + "'",              // {1}
                "--in", "seq 1 100000",                        // {2}
                "--out", "wc -l",                              // {3}
                "--in", "seq 100001 200000",                   // {4}
                "--", "sh", "-c", "cat \"$2\" \"$1\" | tee \"$3\" > \"$4\"", "sh", "{4}", "{2}", "{1}", "{3}");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo("200000");
        assertThat(Files.readAllLines(copy)).hasSize(200000).startsWith("1", "2").endsWith("200000");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void placeholdersInsideArgumentsAndTheDefaultPlaceholder() {
        Cli.Result r = Cli.run(base, "run", "--in", "echo data", "--",
                "sh", "-c", "for a; do case $a in --file=*) cat \"${a#--file=}\";; *) echo \"$a\";; esac; done", "sh",
                "--file={1}", "{}x", "{print $1}", "{1");
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("data");
        assertThat(lines[1]).startsWith(base.toString()).endsWith("/fifox");
        assertThat(lines).endsWith("{print $1}", "{1");
    }

    @Test
    void theShellsOwnParameterSyntaxIsNotAPlaceholder() {
        Cli.Result r = Cli.run(base, "run", "--in", "echo from the fifo", "--", "sh", "-c", "cat \"${1}\"", "sh", "{1}");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("from the fifo\n");
    }

    @Test
    void aGibibyteStreamGoesThroughWithoutTheJvm() {
        Cli.Result r = Cli.run(base, "run", "--in", "head -c 1G /dev/zero", "--", "wc", "-c", "{}");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().trim()).startsWith("1073741824 ");
    }

    @Test
    void aGibibyteThroughAnOutputSubstitution() {
        Cli.Result r = Cli.run(base, "run", "--out", "wc -c", "--", "sh", "-c", "head -c 1G /dev/zero > \"$1\"", "sh", "{}");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo("1073741824");
    }

    @Test
    void aProgramThatNeverOpensItsFifosExitsWithItsOwnStatus() throws IOException {
        Path marker = work.resolve("ran");
        Cli.Result r = Cli.run(base, "run", "--in", "touch '" + marker + "'; echo x", "--out", "cat", "--",
                "sh", "-c", "exit 4", "sh", "{1}", "{2}");
        assertThat(r.status()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        assertThat(marker).as("a CMD whose FIFO is never opened is never started").doesNotExist();
        r = Cli.run(base, "run", "--in", "cat /dev/zero", "--", "sh", "-c", "true", "sh", "{}");
        assertThat(r.status()).as(r.err()).isZero();
    }

    @Test
    void aProgramThatStopsReadingEarlyIsNotAFailure() {
        Cli.Result r = Cli.run(base, "run", "--in", "head -c 1G /dev/zero", "--in", "yes", "--",
                "sh", "-c", "head -c 10 \"$1\" | wc -c; head -n 3 \"$2\"", "sh", "{1}", "{2}");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().split("\n")).containsExactly("10", "y", "y", "y");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aFailingSubstitutionCommandMakesStatus1AndIsNamed() {
        Cli.Result r = Cli.run(base, "run", "--in", "echo ok", "--in", "echo partial; exit 3", "--", "cat", "{1}", "{2}");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("ok\npartial\n");
        assertThat(r.err()).contains("--in 'echo partial; exit 3'").contains("{2}").contains("exit status 3");
        // PROGRAM's own failure wins
        r = Cli.run(base, "run", "--in", "exit 3", "--", "sh", "-c", "cat \"$1\"; exit 9", "sh", "{}");
        assertThat(r.status()).isEqualTo(9);
    }

    /** A CMD killed by a signal is named with it, except SIGPIPE, which a shell does not announce either. */
    @Test
    void aCommandKilledByASignalIsReportedWithItsSignal() {
        Cli.Result r = Cli.run(base, "run", "--in", "kill -KILL $$", "--", "cat", "{}");
        assertThat(r.status()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("tempfifo: run: --in 'kill -KILL $$' ({1}) failed: killed by signal 9 (exit status 137)");
        r = Cli.run(base, "run", "--out", "kill -PIPE $$", "--", "sh", "-c", "exec 3> \"$1\"; sleep 1", "sh", "{}");
        assertThat(r.status()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("--out 'kill -PIPE $$' ({1}) failed: exit status 141").doesNotContain("signal");
    }

    @Test
    void programStatusIsPassedThroughAndAMissingProgramIs127() {
        assertThat(Cli.run(base, "run", "--in", "true", "--", "sh", "-c", "exit 42", "sh", "{}").status()).isEqualTo(42);
        Cli.Result r = Cli.run(base, "run", "--in", "true", "--", "no-such-program-here", "{}");
        assertThat(r.status()).isEqualTo(127);
        assertThat(r.err()).isEqualTo("tempfifo: run: no-such-program-here: command not found\n");
    }

    /** As a shell decides, from the file (not from the text of an error): 127 nothing there, 126 can't execute. */
    @Test
    void whyAProgramCantRunDecidesTheStatus() throws IOException {
        Path notExecutable = Files.writeString(work.resolve("script"), "#!/bin/sh\necho ran\n");
        Cli.Result r = Cli.run(base, "run", "--in", "true", "--", notExecutable.toString(), "{}");
        assertThat(r.status()).isEqualTo(126);
        assertThat(r.err()).isEqualTo("tempfifo: run: " + notExecutable + ": Permission denied\n");
        r = Cli.run(base, "run", "--in", "true", "--", work.toString(), "{}");
        assertThat(r.status()).isEqualTo(126);
        assertThat(r.err()).isEqualTo("tempfifo: run: " + work + ": Is a directory\n");
        r = Cli.run(base, "run", "--in", "true", "--", work.resolve("missing").toString(), "{}");
        assertThat(r.status()).isEqualTo(127);
        assertThat(r.err()).isEqualTo("tempfifo: run: " + work.resolve("missing") + ": No such file or directory\n");
        // once executable, it runs
        assertThat(notExecutable.toFile().setExecutable(true)).isTrue();
        r = Cli.run(base, "run", "--in", "echo data", "--", notExecutable.toString(), "{}");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("ran\n");
    }

    /** Like bash's {@code cat <(echo hi) } opened twice: the second open reads end of file at once. */
    @Test
    void aSecondOpenOfAnInputFifoReadsEndOfFile() {
        Cli.Result r = Cli.run(base, "run", "--in", "echo hi", "--", "cat", "{1}", "{}");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hi\n");
        assertThat(r.err()).isEmpty();
        // many re-opens, some while the first open still holds the FIFO
        r = Cli.run(base, "run", "--in", "seq 3", "--", "sh", "-c",
                "exec 3< \"$1\"; for i in 1 2 3 4 5; do cat \"$1\"; done; cat <&3; sleep 0.2; cat \"$1\"", "sh", "{}");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("1\n2\n3\n");
    }

    /**
     * A second open of an --out FIFO once CMD has read the first to its end and exited: as a pipe
     * whose reader has gone, it does not wait, and what is written goes nowhere.
     */
    @Test
    void aSecondOpenOfAnOutputFifoAfterCmdExitedDoesNotHang() {
        Cli.Result r = Cli.run(base, "run", "--out", "cat", "--", "sh", "-c",
                "echo one > \"$1\"; sleep 0.5; (trap '' PIPE; echo two > \"$1\") 2>/dev/null; echo done", "sh", "{}");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("one\ndone\n");
    }
}
