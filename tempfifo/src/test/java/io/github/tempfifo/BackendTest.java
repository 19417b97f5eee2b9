package io.github.tempfifo;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each test pass runs the backend it was meant to: the suite's two passes cover both. The build
 * chooses the Java of each pass (.mvn/find-jdks.sh), so the tests check the backend and that the
 * pass runs on the Java chosen, never a Java version.
 */
class BackendTest {
    @Test
    void theExpectedBackendIsInUse() {
        String expected = System.getProperty("tempfifo.test.expectedBackend");
        if (expected == null) {
            expected = Runtime.version().feature() >= 22 ? "ffm" : "portable";
        }
        assertThat(TempFifo.backend()).hasToString(expected);
    }

    @Test
    void thisPassRunsOnTheJavaTheBuildChose() throws Exception {
        String expected = System.getProperty("tempfifo.test.expectedJava");
        if (expected != null) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
            assertThat(java).isEqualTo(Path.of(expected).toRealPath());
        }
    }
}
