package io.github.tempfifo.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real launcher, bin/tempfifo, as a user's shell would. */
final class Cli {
    static final Path LAUNCHER = Path.of(System.getProperty("tempfifo.launcher", "../bin/tempfifo")).toAbsolutePath().normalize();

    /** Exit status, standard output and standard error of one run. */
    record Result(int status, String out, String err) {
    }

    private Cli() {
    }

    /**
     * Starts bin/tempfifo with {@code TMPDIR=base}, stdin from /dev/null; with {@code "setsid"} as
     * the first argument, in a process group (and session) of its own, whose id is its pid.
     */
    static Process start(Path base, String... args) throws IOException {
        return start(base, false, args);
    }

    /**
     * As {@link #start(Path, String...)} with SIGHUP, SIGINT and SIGTERM at their default action,
     * for tests that send them: the build may run under {@code nohup} (SIGHUP ignored) or as a
     * background job of a non-interactive shell (SIGINT ignored), and a JVM started with a
     * signal ignored keeps ignoring it.
     */
    static Process startWithDefaultSignals(Path base, String... args) throws IOException {
        return start(base, true, args);
    }

    private static Process start(Path base, boolean defaultSignals, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (args.length > 0 && args[0].equals("setsid")) {
            command.add("setsid");
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        if (defaultSignals) {
            command.addAll(List.of("/usr/bin/env", "--default-signal=HUP,INT,TERM"));
        }
        command.add(LAUNCHER.toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("TMPDIR", base.toString());
        pb.environment().remove("XDG_RUNTIME_DIR");
        return pb.start();
    }

    /** Runs bin/tempfifo to completion (a hang fails the test after two minutes). */
    static Result run(Path base, String... args) {
        try {
            Process p = start(base, args);
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError("hung: tempfifo " + String.join(" ", args));
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, "test-drain");
        t.setDaemon(true);
        t.start();
        return result;
    }

    static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries).as("left in %s", dir).isEmpty();
        }
    }
}
