package io.github.tempfifo;

import io.github.tempfifo.testing.Cmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How the build chooses its JDKs whatever JDK Maven runs on (.mvn/find-jdks.sh, run by the parent
 * pom): the portable-backend pass on a JDK 17, else on the oldest JDK 18-21, else on the JDK 22+
 * with -Dtempfifo.backend=portable; and a machine without a JDK 22+ stops the build at once with
 * what to install. Fake JDK homes (a release file, executable bin/java and bin/javac) stand for
 * installed JDKs.
 */
class BuildJdksTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path SCRIPT = ROOT.resolve(".mvn/find-jdks.sh");

    @TempDir
    Path dir;

    Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        for (String tool : List.of("java", "javac")) {
            Path file = Files.writeString(home.resolve("bin").resolve(tool), "#!/bin/sh\nexit 1\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    Properties find(Path... homes) throws IOException {
        assertThat(SCRIPT).exists();
        List<String> search = new ArrayList<>();
        for (Path home : homes) {
            search.add(home.toString());
        }
        Path out = dir.resolve("jdks.properties");
        Cmd.Result r = Cmd.run("sh", SCRIPT.toString(), out.toString(), "/nonexistent", "true", String.join(":", search));
        assertThat(r.status()).as(r.err()).isZero();
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(out)));
        p.setProperty("log", r.out());
        return p;
    }

    @Test
    void aJdk17RunsThePortablePass() throws IOException {
        Path j17 = jdk("jdk-17", "17.0.15");
        Path j21 = jdk("jdk-21", "21.0.9");
        Path j25 = jdk("jdk-25", "25.0.3");
        Properties p = find(j25, j21, j17);
        assertThat(p.getProperty("tempfifo.build.java.home")).isEqualTo(j25.toRealPath().toString());
        assertThat(p.getProperty("tempfifo.portable.java")).isEqualTo(j17.toRealPath().resolve("bin/java").toString());
        assertThat(p.getProperty("tempfifo.portable.argLine")).isEmpty();
        assertThat(p.getProperty("log")).contains("portable-backend test pass: JDK 17");
    }

    @Test
    void withoutAJdk17AnOlderThan22JdkRunsIt() throws IOException {
        Path j21 = jdk("jdk-21", "21.0.9");
        Path j25 = jdk("jdk-25", "25");
        Properties p = find(j25, j21);
        assertThat(p.getProperty("tempfifo.portable.java")).isEqualTo(j21.toRealPath().resolve("bin/java").toString());
        assertThat(p.getProperty("tempfifo.portable.argLine")).isEmpty();
        assertThat(p.getProperty("log")).contains("no JDK 17 installed; JDK 21");
    }

    @Test
    void withOnlyJdk22PlusThePortableBackendIsForcedAndTheLogSaysSo() throws IOException {
        Path j22 = jdk("jdk-22", "22.0.2");
        Path j25 = jdk("jdk-25", "25.0.3");
        Properties p = find(j22, j25);
        assertThat(p.getProperty("tempfifo.build.java.home")).isEqualTo(j25.toRealPath().toString());
        assertThat(p.getProperty("tempfifo.portable.java")).isEqualTo(j25.toRealPath().resolve("bin/java").toString());
        assertThat(p.getProperty("tempfifo.portable.argLine")).isEqualTo("-Dtempfifo.backend=portable");
        assertThat(p.getProperty("log")).contains("no JDK 17-21 installed", "-Dtempfifo.backend=portable");
    }

    @Test
    void aJreOrAnUnreadableHomeIsNotAJdk() throws IOException {
        Path jre = jdk("jre-25", "25");
        Files.delete(jre.resolve("bin/javac"));
        Path broken = jdk("broken", "unknown");
        Path j17 = jdk("jdk-17", "17");
        Properties p = find(jre, broken, j17);
        assertThat(p.getProperty("tempfifo.build.java.home")).isEmpty();
        assertThat(p.getProperty("tempfifo.jdks.found")).isEqualTo("JDK 17 at " + j17.toRealPath());
    }

    /** The whole build, as a user without a JDK 22+ would start it: stops at once, saying what to install. */
    @Test
    void withoutAJdk22PlusTheBuildStopsSayingWhatToInstall() throws IOException {
        // one pass is enough: the build is the same whichever Java runs the tests
        assumeTrue(!"portable".equals(System.getProperty("tempfifo.test.expectedBackend")), "run in the FFM pass");
        assumeTrue(Cmd.run("sh", "-c", "command -v mvn").status() == 0, "mvn is not on the PATH");
        Path j17 = jdk("jdk-17", "17.0.15");
        // a copy of the parent pom and the script, so that nothing is written into this build's target/
        Path project = Files.createDirectories(dir.resolve("project/.mvn")).getParent();
        Files.copy(ROOT.resolve("pom.xml"), project.resolve("pom.xml"));
        Files.copy(SCRIPT, project.resolve(".mvn/find-jdks.sh"));
        Cmd.Result r = Cmd.run("mvn", "-B", "-o", "-N", "-f", project.resolve("pom.xml").toString(),
                "-Dtempfifo.jdk.search=" + j17, "-Dtempfifo.bundle.skip", "validate");
        assertThat(r.status()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("tempfifo builds with a JDK 22 or newer", "JDKs found: JDK 17 at " + j17.toRealPath(),
                "Temurin 25", "then run Maven again")
                .doesNotContain("toolchains.xml");
    }
}
