package io.github.tempfifo;

import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad arguments throw IllegalArgumentException before anything is created. */
@ExtendWith(NoLeaks.class)
class ArgumentsTest {
    @TempDir
    Path base;

    @AfterEach
    void nothingWasCreated() throws Exception {
        try (var entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/", "a\0b", "\0"})
    void badNames(String name) {
        assertThatThrownBy(() -> TempFifo.builder().directory(base).name(name).create())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
    }

    @Test
    void nameOf255BytesIsFineAnd256IsNot() throws Exception {
        try (TempFifo fifo = TempFifo.builder().directory(base).name("x".repeat(255)).create()) {
            assertThat(fifo.path()).exists();
        }
        assertThatThrownBy(() -> TempFifo.builder().name("x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bytes");
        // 128 two-byte characters: 256 bytes
        assertThatThrownBy(() -> TempFifo.builder().name("é".repeat(128)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "/", "a\0", "\ud800"})
    void badPrefixes(String prefix) {
        assertThatThrownBy(() -> TempFifo.builder().directory(base).prefix(prefix).create())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix");
    }

    @Test
    void prefixLeavingNoRoomForTheRestIsRefused() {
        assertThatThrownBy(() -> TempFifo.builder().prefix("p".repeat(250)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }

    @Test
    void unpairedSurrogateInNameIsRefused() {
        assertThatThrownBy(() -> TempFifo.builder().name("a\udc00b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unicode");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void nonPositivePipeCapacity(int bytes) {
        assertThatThrownBy(() -> TempFifo.builder().pipeCapacity(bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }

    @Test
    void nonPositiveTimeouts() throws Exception {
        try (TempFifo fifo = TempFifo.builder().directory(base).create()) {
            for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-1)}) {
                assertThatThrownBy(() -> fifo.openInputStream(bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> fifo.openOutputStream(bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> fifo.openReadChannel(bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> fifo.openWriteChannel(bad)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> fifo.openInputStream(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> TempFifo.builder().directory(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TempFifo.builder().prefix(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TempFifo.builder().name(null)).isInstanceOf(NullPointerException.class);
    }
}
