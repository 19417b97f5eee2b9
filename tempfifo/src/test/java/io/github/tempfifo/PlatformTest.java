package io.github.tempfifo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where there are no POSIX FIFOs (Windows), creation says so. */
class PlatformTest {
    @Test
    void aFileSystemWithoutPosixSemanticsIsRefusedWithAClearMessage(@TempDir Path tmp) throws Exception {
        // A zip file system, like Windows' default one, has no "posix" attribute view.
        URI zip = URI.create("jar:" + tmp.resolve("x.zip").toUri());
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            assertThatThrownBy(() -> TempFifo.requirePosix(fs))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("POSIX named pipes");
        }
    }

    @Test
    void thisPlatformHasThem() {
        assertThatCode(() -> TempFifo.requirePosix(FileSystems.getDefault())).doesNotThrowAnyException();
    }
}
