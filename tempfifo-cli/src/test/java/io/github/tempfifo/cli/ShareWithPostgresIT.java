package io.github.tempfifo.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 10: a real PostgreSQL server, running as {@code postgres}, reads and writes tempfifo FIFOs
 * with server-side {@code COPY … FROM/TO '<fifo>'}, with nothing done by hand: through
 * {@code tempfifo run --share-with USER} and {@code --share-with-group GROUP} (as root), and
 * through the library API from an unprivileged user ({@code nobody}); each on both backends. One
 * server for the class.
 */
class ShareWithPostgresIT {
    private static PostgresServer pg;
    private Path base;
    private Path childClassPath;

    @BeforeAll
    static void startServer() throws Exception {
        pg = PostgresServer.start();
        pg.sql("CREATE TABLE t (n integer)");
    }

    @AfterAll
    static void stopServer() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        pg.sql("TRUNCATE t");
        base = Files.createTempDirectory(Path.of("/tmp"), "share-pg-it-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() {
        if (childClassPath != null) {
            PostgresServer.run(List.of("rm", "-rf", childClassPath.toString()));
        }
        try {
            assertThat(base.toFile().list()).as("nothing left behind in " + base).isEmpty();
        } finally {
            PostgresServer.run(List.of("rm", "-rf", base.toString())); // also when something was left
        }
    }

    /** The control: without sharing, the server can't open the FIFO (what issue 10 reported). */
    @org.junit.jupiter.api.Test
    void withoutSharingTheServerIsDenied() {
        PostgresServer.Result r = tempfifo("ffm", "run", "--in", "seq 1 10", "--",
                "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "COPY t FROM '{}'");
        assertThat(r.status()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("could not open file").contains("Permission denied");
        assertThat(pg.sql("SELECT count(*) FROM t")).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "portable"})
    void runShareWithUserCopiesFromAndTo(String backend) throws Exception {
        copyFromAndToThroughRun(backend, "--share-with", "postgres");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "portable"})
    void runShareWithGroupCopiesFromAndTo(String backend) throws Exception {
        copyFromAndToThroughRun(backend, "--share-with-group", "postgres");
    }

    private void copyFromAndToThroughRun(String backend, String option, String principal) throws Exception {
        PostgresServer.Result from = tempfifo(backend, "run", option, principal, "--in", "seq 1 100000", "--",
                "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "COPY t FROM '{}'");
        assertThat(from.status()).as(from + pg.log()).isZero();
        assertThat(pg.sql("SELECT count(*), sum(n) FROM t")).isEqualTo("100000|5000050000");

        Path out = base.resolve("out.txt");
        PostgresServer.Result to = tempfifo(backend, "run", option, principal, "--out", "sort -n > " + out, "--",
                "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", "COPY (SELECT n FROM t WHERE n % 1000 = 0) TO '{}'");
        assertThat(to.status()).as(to + pg.log()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(100).startsWith("1000", "2000").endsWith("100000");
        Files.delete(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "portable"})
    void theApiCopiesFromAndToAsAnUnprivilegedUser(String backend) throws Exception {
        List<String> java = childJava(backend);
        PostgresServer.Result from = asNobody(java, "from", "t", "100000");
        assertThat(from.status()).as(from.toString()).isZero();
        assertThat(pg.sql("SELECT count(*), sum(n) FROM t")).isEqualTo("100000|5000050000");

        PostgresServer.Result to = asNobody(java, "to", "t");
        assertThat(to.status()).as(to.toString()).isZero();
        assertThat(to.out().trim()).isEqualTo("100000 5000050000");

        // psql fails before the server opens the FIFO: the writer's wait ends at once
        PostgresServer.Result fail = asNobody(java, "fail");
        assertThat(fail.status()).as(fail.toString()).isZero();
        assertThat(fail.out()).startsWith("peer exited ");
        assertThat(Long.parseLong(fail.out().trim().split(" ")[3])).as("milliseconds to notice").isLessThan(5_000);
    }

    private PostgresServer.Result asNobody(List<String> java, String... args) {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "nobody", "--", "env"));
        pg.environment().forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(java);
        cmd.addAll(List.of(args));
        return PostgresServer.run(cmd);
    }

    /**
     * java with the class path of the shaded CLI jar (tempfifo inside) and {@link SharedCopyChild},
     * copied where {@code nobody} can read them: the build's own may be in a directory only root
     * can enter (a clone under /root, as on CI).
     */
    private List<String> childJava(String backend) throws IOException {
        Path jar = Path.of(System.getProperty("tempfifo.jar"));
        Path testClasses = Path.of(SharedCopyChild.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        childClassPath = Files.createTempDirectory(Path.of("/tmp"), "share-pg-it-cp-");
        Path jarCopy = Files.copy(jar, childClassPath.resolve("tempfifo-cli.jar"));
        String packagePath = SharedCopyChild.class.getPackageName().replace('.', '/');
        Path packageDir = Files.createDirectories(childClassPath.resolve("classes").resolve(packagePath));
        try (DirectoryStream<Path> classes = Files.newDirectoryStream(testClasses.resolve(packagePath), "SharedCopyChild*.class")) {
            for (Path c : classes) {
                Files.copy(c, packageDir.resolve(c.getFileName().toString()));
            }
        }
        try (Stream<Path> all = Files.walk(childClassPath)) {
            for (Path p : all.collect(Collectors.toList())) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Path classesCopy = childClassPath.resolve("classes");
        assertThat(PostgresServer.run(List.of("runuser", "-u", "nobody", "--", "test", "-r", jarCopy.toString())).status())
                .as("nobody can read %s", jarCopy).isZero();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (backend.equals("ffm")) {
            assumeTrue(Runtime.version().feature() >= 22, "the FFM backend needs Java 22+");
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-Dtempfifo.backend=ffm");
        } else {
            cmd.add("-Dtempfifo.backend=portable");
        }
        cmd.addAll(List.of("-Djava.io.tmpdir=/tmp", "-XX:TieredStopAtLevel=1", "-cp", jarCopy + File.pathSeparator + classesCopy,
                SharedCopyChild.class.getName()));
        return cmd;
    }

    /** bin/tempfifo with TMPDIR = this test's base and the backend chosen, connected to the server. */
    private PostgresServer.Result tempfifo(String backend, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Cli.LAUNCHER.toString());
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(pg.environment());
        env.put("TMPDIR", base.toString());
        env.put("TEMPFIFO_JAVA_OPTS", "-Dtempfifo.backend=" + backend);
        return PostgresServer.run(cmd, null, env);
    }
}
