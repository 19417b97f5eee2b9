package io.github.tempfifo.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for one test class: {@code initdb}, {@code pg_ctl} and {@code postgres}
 * from the PATH, {@code /usr/lib/postgresql/*}{@code /bin} or {@code /usr/local/bin}; run as the
 * user {@code postgres} (so that server-side {@code COPY} opens files as another user, as in
 * production), listening on a Unix socket only (no TCP), trust authentication, on a free port, in
 * a directory of its own that {@link #close()} removes after stopping the server.
 *
 * <p>When the binaries, the user {@code postgres} or root are missing, {@link #start()} says so
 * loudly on stderr and aborts the test class (skipped, not passed).
 */
final class PostgresServer implements AutoCloseable {
    private final Path home;
    private final Path data;
    private final Path binDir;
    final Path socketDir;
    final int port;

    private PostgresServer(Path home, Path binDir, int port) {
        this.home = home;
        this.data = home.resolve("data");
        this.binDir = binDir;
        this.socketDir = home;
        this.port = port;
    }

    /** Starts a server, or aborts the calling test class (loudly) when it can't be done here. */
    static PostgresServer start() throws IOException, InterruptedException {
        Optional<Path> bin = findBinaries();
        String missing = !"root".equals(System.getProperty("user.name")) ? "these tests must run as root (to start the server as postgres)"
                : bin.isEmpty() ? "no initdb/pg_ctl/postgres on the PATH, in /usr/lib/postgresql/*/bin or /usr/local/bin"
                : run(List.of("id", "postgres")).status() != 0 ? "no user postgres"
                : null;
        if (missing != null) {
            System.err.println("\n*** SKIPPED: the PostgreSQL tests can't run: " + missing
                    + " (install the Debian package postgresql; .ci/run does) ***\n");
            Assumptions.abort("PostgreSQL tests skipped: " + missing);
        }
        Path home = Files.createTempDirectory(Path.of("/tmp"), "tempfifo-pg-");
        // 0755: any user's psql reaches the socket (trust authentication: tests only)
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        PostgresServer server = new PostgresServer(home, bin.get(), freePort());
        try {
            server.initAndStart();
        } catch (IOException | RuntimeException | Error | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void initAndStart() throws IOException, InterruptedException {
        check(run(List.of("chown", "postgres:postgres", home.toString())));
        check(asPostgres(binDir.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"));
        String conf = String.join("\n", "",
                "listen_addresses = ''",
                "unix_socket_directories = '" + socketDir + "'",
                "port = " + port,
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "shared_buffers = 32MB",
                "max_connections = 20",
                "");
        check(run(List.of("runuser", "-u", "postgres", "--", "sh", "-c", "cat >> \"$1\"", "sh",
                data.resolve("postgresql.conf").toString()), conf));
        check(asPostgres(binDir.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("server.log").toString(),
                "-w", "-t", "60", "start"));
    }

    /** The environment for psql and other clients: PGHOST, PGPORT, PGUSER, PGDATABASE. */
    Map<String, String> environment() {
        return Map.of("PGHOST", socketDir.toString(), "PGPORT", Integer.toString(port), "PGUSER", "postgres",
                "PGDATABASE", "postgres");
    }

    /** Runs SQL with psql as this process's user; fails the test on an error. */
    String sql(String sql) {
        Result r = psql(sql);
        check(r);
        return r.out.trim();
    }

    /** Runs SQL with psql, returning what happened. */
    Result psql(String sql) {
        List<String> cmd = List.of("psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql);
        return run(cmd, null, environment());
    }

    @Override
    public void close() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            Result r = asPostgres(binDir.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            if (r.status != 0) {
                System.err.println("could not stop PostgreSQL in " + data + ": " + r);
            }
        }
        run(List.of("rm", "-rf", "--one-file-system", home.toString()));
    }

    /** The server's log, for failure messages. */
    String log() {
        try {
            return Files.readString(home.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private Result asPostgres(String... command) {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(Arrays.asList(command));
        return run(cmd);
    }

    static Optional<Path> findBinaries() {
        List<Path> dirs = new ArrayList<>();
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!p.isEmpty()) {
                dirs.add(Path.of(p));
            }
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
                    .forEach(v -> dirs.add(v.resolve("bin")));
        } catch (IOException e) {
            // none there
        }
        dirs.add(Path.of("/usr/local/bin"));
        return dirs.stream().filter(d -> Stream.of("initdb", "pg_ctl", "postgres").allMatch(b -> Files.isExecutable(d.resolve(b))))
                .findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // free now; the server only names its socket after it
        }
    }

    /** Exit status and output of a command. */
    record Result(int status, String out, String err) {
    }

    static Result run(List<String> command) {
        return run(command, null, Map.of());
    }

    static Result run(List<String> command, String stdin) {
        return run(command, stdin, Map.of());
    }

    static Result run(List<String> command, String stdin, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().remove("XDG_RUNTIME_DIR");
            pb.environment().putAll(env);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Path out = Files.createTempFile("pg-out", ".txt");
            Path err = Files.createTempFile("pg-err", ".txt");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (stdin != null) {
                    try (var in = p.getOutputStream()) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("hung: " + command);
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void check(Result r) {
        if (r.status != 0) {
            throw new AssertionError("failed (" + r.status + "): " + r.out + r.err);
        }
    }
}
