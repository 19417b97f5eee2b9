package io.github.tempfifo.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM and SIGINT sent to the tempfifo JVM (bin/tempfifo execs it) end PROGRAM and every
 * substitution command, remove the FIFOs, and exit 128 + the signal. tempfifo is started with
 * those signals at their default action, however the build itself was started.
 */
class SignalIT {
    @TempDir
    Path base;

    @AfterEach
    void nothingLeft() throws IOException {
        Cli.assertEmpty(base);
    }

    @ParameterizedTest
    @CsvSource({"TERM, 143", "INT, 130"})
    void aSignalEndsEverythingAndRemovesTheFifos(String signal, int expected) throws Exception {
        Process tempfifo = Cli.startWithDefaultSignals(base, "run", "--dir", base.toString(),
                "--in", "echo hi; exec sleep 31 > /dev/null", "--out", "exec sleep 32", "--in", "sleep 33",
                "--", "sh", "-c", "cat \"$1\"; echo x > \"$2\"; exec sleep 30", "sh", "{1}", "{2}", "{3}");
        CompletableFuture<String> out = Cli.drain(tempfifo.getInputStream());
        CompletableFuture<String> err = Cli.drain(tempfifo.getErrorStream());
        try {
            List<ProcessHandle> children = awaitSleeps(tempfifo.toHandle(), 3); // sleep 30, 31, 32 (33 never starts)
            assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(tempfifo.pid())).start().waitFor()).isZero();
            assertThat(tempfifo.waitFor(60, TimeUnit.SECONDS)).as("tempfifo exited").isTrue();
            assertThat(tempfifo.exitValue()).as(err.join()).isEqualTo(expected);
            assertThat(out.join()).isEqualTo("hi\n");
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS); // gone (they were signalled before the JVM exited)
            }
            assertThat(children).noneMatch(ProcessHandle::isAlive);
        } finally {
            tempfifo.descendants().forEach(ProcessHandle::destroyForcibly);
            tempfifo.destroyForcibly();
        }
    }

    /**
     * Ctrl-C in a terminal signals the whole process group: PROGRAM, every CMD and tempfifo at
     * once. The CMDs killed with us are not reported as failures ("killed by signal 2"): the
     * exit status says it all.
     */
    @ParameterizedTest
    @CsvSource({"TERM, 143", "INT, 130"})
    void aSignalToTheProcessGroupIsNotReportedAsFailedCommands(String signal, int expected) throws Exception {
        Process tempfifo = Cli.startWithDefaultSignals(base, "setsid", "run", "--in", "echo hi; exec sleep 31 > /dev/null", "--in", "seq 3; exec sleep 32",
                "--", "sh", "-c", "cat \"$1\"; head -n 1 \"$2\"; exec sleep 30", "sh", "{1}", "{2}");
        CompletableFuture<String> out = Cli.drain(tempfifo.getInputStream());
        CompletableFuture<String> err = Cli.drain(tempfifo.getErrorStream());
        try {
            awaitSleeps(tempfifo.toHandle(), 3); // sleep 30, 31, 32: PROGRAM and both CMDs running
            assertThat(new ProcessBuilder("kill", "-" + signal, "--", "-" + tempfifo.pid()).start().waitFor()).isZero();
            assertThat(tempfifo.waitFor(60, TimeUnit.SECONDS)).as("tempfifo exited").isTrue();
            assertThat(tempfifo.exitValue()).as(err.join()).isEqualTo(expected);
            assertThat(err.join()).isEmpty();
        } finally {
            tempfifo.descendants().forEach(ProcessHandle::destroyForcibly);
            tempfifo.destroyForcibly();
        }
    }

    private static List<ProcessHandle> awaitSleeps(ProcessHandle root, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<ProcessHandle> sleeps;
        do {
            Thread.sleep(20);
            sleeps = root.descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("/sleep"))
                    .collect(Collectors.toList());
        } while (sleeps.size() < n && System.nanoTime() < deadline && root.isAlive());
        assertThat(sleeps).as("sleeps started").hasSize(n);
        return sleeps;
    }
}
