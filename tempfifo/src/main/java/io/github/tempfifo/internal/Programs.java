package io.github.tempfifo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The system programs the portable paths run ({@code mkfifo}, {@code setfacl}, {@code getfacl},
 * {@code id}, {@code getent}): found by absolute path and run without a shell, with standard
 * input from {@code /dev/null} and in the C locale. Their messages are shown to the user, never
 * parsed: what happened is decided by the exit status and by checks.
 */
final class Programs {
    private Programs() {
    }

    /** @param status the exit status @param output standard output and error, trimmed */
    record Result(int status, String output) {
    }

    /** @return {@code /usr/bin/NAME} or {@code /bin/NAME}, whichever is executable, or null */
    static String find(String name) {
        for (String dir : new String[] {"/usr/bin/", "/bin/"}) {
            if (Files.isExecutable(Path.of(dir + name))) {
                return dir + name;
            }
        }
        return null;
    }

    /**
     * Runs {@code command} to its end.
     *
     * @throws InterruptedIOException if this thread is interrupted meanwhile (the program is
     *                                killed; the interrupt status stays set)
     */
    static Result run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        try {
            return new Result(p.waitFor(), output);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running " + command.get(0));
        }
    }
}
