package io.github.tempfifo;

import io.github.tempfifo.testing.Cmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which backend a JVM gets, on the class path and on the module path, and the one message that
 * says how to get the fast one. Each case runs in a fresh JVM of the kind under test.
 */
class BackendSelectionTest {
    @TempDir
    Path base;

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final int FEATURE = Runtime.version().feature();

    static String mainClasses() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.endsWith("target" + File.separator + "classes")).findFirst().orElseThrow();
    }

    static String testClasses() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.endsWith("test-classes")).findFirst().orElseThrow();
    }

    /** Runs BackendProbe (outside our package, so that it can run against the module) in a new JVM; its output is the backend's name. */
    Cmd.Result probe(boolean modulePath, String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(List.of(jvmOptions));
        if (modulePath) {
            cmd.addAll(List.of("-p", mainClasses(), "--add-modules", "io.github.tempfifo", "-cp", testClasses()));
        } else {
            cmd.addAll(List.of("-cp", mainClasses() + File.pathSeparator + testClasses()));
        }
        cmd.addAll(List.of(io.github.tempfifo.testing.BackendProbe.class.getName(), base.toString()));
        Cmd.Result result = Cmd.run(cmd);
        assertThat(result.status()).as(result.err()).isZero();
        try (var entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
        return result;
    }

    static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void classPathWithNativeAccessUsesFfm() throws Exception {
        assumeTrue(FEATURE >= 22, "FFM needs Java 22+");
        Cmd.Result r = probe(false, "--enable-native-access=ALL-UNNAMED");
        assertThat(r.out().trim()).isEqualTo("ffm");
        assertThat(r.err()).doesNotContain("portable");
    }

    @Test
    void classPathWithoutNativeAccessFallsBackAndSaysHowOnce() throws Exception {
        assumeTrue(FEATURE >= 22, "FFM needs Java 22+");
        Cmd.Result r = probe(false);
        assertThat(r.out().trim()).isEqualTo("portable");
        assertThat(count(r.err(), "portable backend")).isEqualTo(1);
        assertThat(r.err()).contains("--enable-native-access=ALL-UNNAMED");
        // we never touched a restricted method, so the JVM has nothing to warn about
        assertThat(r.err()).doesNotContain("restricted method");
    }

    @Test
    void deniedNativeAccessFallsBack() throws Exception {
        assumeTrue(FEATURE >= 24, "--illegal-native-access exists from Java 24");
        Cmd.Result r = probe(false, "--illegal-native-access=deny");
        assertThat(r.out().trim()).isEqualTo("portable");
        assertThat(count(r.err(), "portable backend")).isEqualTo(1);
    }

    @Test
    void modulePathWithNativeAccessForTheModuleUsesFfm() throws Exception {
        assumeTrue(FEATURE >= 22, "FFM needs Java 22+");
        Cmd.Result r = probe(true, "--enable-native-access=io.github.tempfifo");
        assertThat(r.out().trim()).isEqualTo("ffm");
    }

    @Test
    void modulePathWithoutNativeAccessNamesTheModule() throws Exception {
        assumeTrue(FEATURE >= 22, "FFM needs Java 22+");
        Cmd.Result r = probe(true);
        assertThat(r.out().trim()).isEqualTo("portable");
        assertThat(r.err()).contains("--enable-native-access=io.github.tempfifo");
    }

    @Test
    void java17UsesThePortableBackendWithoutAnnouncingItButSaysWhyAtDebug() throws Exception {
        assumeTrue(FEATURE < 22, "for Java 17-21");
        Cmd.Result r = probe(false);
        assertThat(r.out().trim()).isEqualTo("portable");
        assertThat(r.err()).as("no choice on Java 17-21: nothing to say at the default level").isEmpty();
        Path config = Files.writeString(base.resolveSibling(base.getFileName() + ".logging.properties"),
                "handlers=java.util.logging.ConsoleHandler\njava.util.logging.ConsoleHandler.level=ALL\n"
                        + "io.github.tempfifo.level=FINE\n");
        try {
            r = probe(false, "-Djava.util.logging.config.file=" + config);
            assertThat(count(r.err(), "portable backend")).isEqualTo(1);
            assertThat(r.err()).contains("Java 22");
        } finally {
            Files.delete(config);
        }
    }

    @Test
    void forcingThePortableBackendWorksAnywhereAndIsQuiet() throws Exception {
        Cmd.Result r = probe(false, "-Dtempfifo.backend=portable");
        assertThat(r.out().trim()).isEqualTo("portable");
        assertThat(r.err()).doesNotContain("portable backend");
    }
}
