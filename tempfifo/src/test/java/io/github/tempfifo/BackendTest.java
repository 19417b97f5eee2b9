package io.github.tempfifo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each test pass runs the backend it was meant to: the suite's two passes cover both. */
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
    void theExpectedJavaRunsThisPass() {
        String feature = System.getProperty("tempfifo.test.expectedJavaFeature");
        if (feature != null) {
            assertThat(Runtime.version().feature()).isEqualTo(Integer.parseInt(feature));
        } else {
            assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(22);
        }
    }
}
