package io.github.tempfifo;

import io.github.tempfifo.testing.ChildJvm;
import io.github.tempfifo.testing.Cmd;
import io.github.tempfifo.testing.LocaleChild;
import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tempfifo decides on errors by errno or by type, never by message text: run the deciding paths
 * in a JVM whose C library speaks German ({@code de_DE.UTF-8}, generated here with
 * {@code localedef} into a temporary {@code LOCPATH}; Debian packages {@code locales} and
 * {@code libc-l10n}, which {@code .ci/run} installs) and check that every outcome is the English
 * one, on the backend of this test run.
 */
@ExtendWith(NoLeaks.class)
class LocaleTest {
    @TempDir
    static Path locales;

    @TempDir
    Path base;

    @BeforeAll
    static void generateGermanLocale() {
        Cmd.Result r = Cmd.run("localedef", "-i", "de_DE", "-f", "UTF-8", locales.resolve("de_DE.UTF-8").toString());
        assertThat(Files.isDirectory(locales.resolve("de_DE.UTF-8")))
                .as("localedef -i de_DE -f UTF-8 (install the Debian packages locales and libc-l10n): " + r)
                .isTrue();
    }

    @Test
    void outcomesDoNotDependOnTheLanguageOfErrorMessages() throws Exception {
        Path immutable = null;
        if (Cmd.isRoot()) {
            Path dir = Files.createDirectory(base.resolve("immutable"));
            if (Cmd.run("chattr", "+i", dir.toString()).status() == 0) {
                immutable = dir;
            }
        }
        Path fifos = Files.createDirectory(base.resolve("fifos"));
        List<String> args = new ArrayList<>(List.of(fifos.toString()));
        if (immutable != null) {
            args.add(immutable.toString());
        }
        Map<String, String> out = new HashMap<>();
        try {
            ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(LocaleChild.class, args.toArray(String[]::new)));
            pb.environment().put("LOCPATH", locales.toString());
            pb.environment().put("LC_ALL", "de_DE.UTF-8");
            pb.environment().put("LANG", "de_DE.UTF-8");
            pb.environment().remove("LANGUAGE");
            Path stdout = base.resolve("child.out");
            Path stderr = base.resolve("child.err");
            Process child = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!child.waitFor(3, TimeUnit.MINUTES)) {
                child.destroyForcibly().waitFor();
                throw new AssertionError("LocaleChild hung; stderr: " + Files.readString(stderr));
            }
            for (String line : Files.readAllLines(stdout)) {
                int eq = line.indexOf('=');
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
            assertThat(child.exitValue()).as("LocaleChild's exit status; output %s; stderr %s", out, Files.readString(stderr)).isZero();
        } finally {
            if (immutable != null) {
                Cmd.run("chattr", "-i", immutable.toString());
            }
        }
        assertThat(out.get("strerror")).as("the C library speaks German in the child").contains("Datei oder Verzeichnis nicht gefunden");
        assertThat(out.get("status")).isEqualTo("0");
        assertThat(out.get("cutoff")).isEqualTo("CUT_OFF");
        assertThat(out.get("cutoff.reason")).as("the EPIPE message, in German").doesNotContain("Broken pipe");
        assertThat(out.get("unopened")).isEqualTo("NEVER_OPENED");
        assertThat(out.get("written")).isEqualTo("COMPLETED hi");
        assertThat(out.get("ended")).isEqualTo("NEVER_OPENED");
        assertThat(out.get("closed")).isEqualTo("FifoClosedException true");
        if (immutable != null) {
            assertThat(out.get("eperm")).startsWith("AccessDeniedException").contains(immutable.toString());
        }
        assertThat(out.get("files")).isEqualTo("0");
    }
}
