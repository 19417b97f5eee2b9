package io.github.tempfifo.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process read line by line with a deadline (so that a child that hangs fails the test
 * instead of hanging it), its standard error kept in a file, and no helper thread.
 */
public final class Child implements AutoCloseable {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Process process;
    private final InputStream out;
    private final Path errFile;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private Child(Process process, Path errFile) {
        this.process = process;
        this.out = process.getInputStream();
        this.errFile = errFile;
    }

    /** Starts {@code command}; its standard error goes to a temporary file. */
    public static Child start(List<String> command) throws IOException {
        Path err = Files.createTempFile("tempfifo-child-", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        return new Child(p, err);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** The next line of standard output; fails if none comes within a minute or the child ends. */
    public String readLine() throws IOException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (true) {
            byte[] buffered = pending.toByteArray();
            for (int i = 0; i < buffered.length; i++) {
                if (buffered[i] == '\n') {
                    pending.reset();
                    pending.write(buffered, i + 1, buffered.length - i - 1);
                    return new String(buffered, 0, i, StandardCharsets.UTF_8);
                }
            }
            int available = out.available();
            if (available > 0) {
                byte[] chunk = new byte[available];
                int n = out.read(chunk);
                if (n > 0) {
                    pending.write(chunk, 0, n);
                }
                continue;
            }
            if (!process.isAlive() && out.available() == 0) {
                throw new AssertionError("child ended (status " + process.exitValue() + ") without a line; output so far: "
                        + pending.toString(StandardCharsets.UTF_8) + "\nstderr: " + stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line from the child within a minute; stderr: " + stderr());
            }
            Fds.sleep(5);
        }
    }

    /** Lines of standard output up to (not including) {@code marker}. */
    public List<String> linesUntil(String marker) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line; !(line = readLine()).equals(marker); ) {
            lines.add(line);
        }
        return lines;
    }

    /** Writes a line to the child's standard input. */
    public void writeLine(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the child's standard input. */
    public void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** Sends a signal by name ("INT", "HUP", …) with kill(1). */
    public void signal(String name) {
        Cmd.Result r = Cmd.run("kill", "-" + name, Long.toString(process.pid()));
        if (r.status() != 0) {
            throw new AssertionError("kill -" + name + " failed: " + r.err());
        }
    }

    /** Waits for the child to end (at most a minute) and returns its exit status. */
    public int waitFor() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("child did not end within a minute");
        }
        return process.exitValue();
    }

    /** Everything the child wrote to standard error so far. */
    public String stderr() {
        try {
            return Files.readString(errFile);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The signals the child ignores, from /proc/PID/status (bit n-1 for signal n). */
    public long ignoredSignals() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        throw new AssertionError("no SigIgn line");
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.waitFor(60, TimeUnit.SECONDS);
        process.getInputStream().close();
        process.getOutputStream().close();
        process.getErrorStream().close();
        Files.deleteIfExists(errFile);
    }
}
