package io.github.tempfifo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** bin/tempfifo in a clone that can't build its jar: no Maven, or a clone it can't write to. */
class LauncherIT {
    static final Path JAR = Path.of(System.getProperty("tempfifo.jar", "target/tempfifo-cli.jar")).toAbsolutePath();

    @TempDir
    Path clone;

    /** A clone with only the launcher (and, if asked, a jar older than its pom). */
    private Path launcher(boolean withJar) throws IOException {
        Path bin = Files.createDirectories(clone.resolve("bin"));
        Path launcher = Files.copy(Cli.LAUNCHER, bin.resolve("tempfifo"), StandardCopyOption.COPY_ATTRIBUTES);
        if (withJar) {
            Path target = Files.createDirectories(clone.resolve("tempfifo-cli/target"));
            Files.setLastModifiedTime(Files.copy(JAR, target.resolve("tempfifo-cli.jar")), FileTime.fromMillis(0));
            Files.writeString(clone.resolve("pom.xml"), "<project/>\n"); // newer than the jar: stale
        }
        return launcher;
    }

    /** A PATH with the tools a shell script expects, but no Maven. */
    private String pathWithoutMaven() throws IOException {
        Path dir = Files.createDirectories(clone.resolve("path"));
        for (String tool : new String[] {"sh", "rm", "mv", "cat", "mkdir", "readlink"}) {
            Path real = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
            Files.createSymbolicLink(dir.resolve(tool), real);
        }
        return dir.toString();
    }

    private static Cli.Result run(Map<String, String> env, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(args).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        var out = Cli.drain(p.getInputStream());
        var err = Cli.drain(p.getErrorStream());
        return new Cli.Result(p.waitFor(), out.join(), err.join());
    }

    @Test
    void withoutMavenAndWithoutAJarSaysWhatToInstall() throws Exception {
        Cli.Result r = run(Map.of("PATH", pathWithoutMaven()), launcher(false).toString(), "--version");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tempfifo: the command-line jar (" + clone.resolve("bin/../tempfifo-cli/target/tempfifo-cli.jar")
                + ") is not built yet, and can't be: Maven (mvn) is not installed; install Maven 3.8.7 or newer");
        assertThat(clone.resolve("tempfifo-cli")).doesNotExist();
    }

    @Test
    void withoutMavenAStaleJarStillRunsAfterOneLine() throws Exception {
        Cli.Result r = run(Map.of("PATH", pathWithoutMaven()), launcher(true).toString(), "--version");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("tempfifo ");
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("tempfifo: sources are newer than the jar, which can't be rebuilt: Maven (mvn) is not installed");
    }

    /** As root, permission bits don't apply: the launcher runs as nobody in a clone owned by root. */
    @Test
    void aReadOnlyCloneSaysSoAndHowToBuild() throws Exception {
        assumeTrue(new ProcessBuilder("runuser", "-u", "nobody", "--", "true").start().waitFor() == 0, "runuser as nobody");
        Path launcher = launcher(false);
        Files.setPosixFilePermissions(clone, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(launcher.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli.Result r = run(Map.of(), "runuser", "-u", "nobody", "--", launcher.toString(), "--version");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("is not writable (a read-only clone?); build it once as a user who can write there: cd "
                + clone.resolve("bin/..") + " && mvn -pl tempfifo-cli -am package -DskipTests");
        assertThat(clone.resolve("tempfifo-cli")).doesNotExist();
    }
}
