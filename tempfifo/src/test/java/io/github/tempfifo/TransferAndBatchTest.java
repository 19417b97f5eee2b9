package io.github.tempfifo;

import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link TempFifo#transferFrom} (splice on the FFM backend, sendfile on the portable one) and
 * {@link TempFifo.Builder#create(int)} (one mkfifo process for a batch on the portable backend),
 * with real FIFOs, on whichever backend this test pass runs.
 */
@ExtendWith(NoLeaks.class)
class TransferAndBatchTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path base;
    @TempDir
    Path files;

    @AfterEach
    void nothingLeft() throws IOException {
        try (var entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void transferFromCopiesAWholeFileExactly() throws Exception {
        // bigger than any pipe buffer, and not a multiple of a page
        byte[] data = new byte[3 * 1024 * 1024 + 12345];
        new Random(42).nextBytes(data);
        Path source = Files.write(files.resolve("data.bin"), data);
        try (TempFifo fifo = TempFifo.builder().directory(base).create()) {
            CompletableFuture<byte[]> reader = OpenTest.async(() -> {
                try (InputStream in = fifo.openInputStream(WAIT)) {
                    return in.readAllBytes();
                }
            });
            assertThat(fifo.transferFrom(source, WAIT)).isEqualTo(data.length);
            byte[] got = reader.get(30, TimeUnit.SECONDS);
            assertThat(MessageDigest.getInstance("SHA-256").digest(got))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void transferFromAnEmptyFileGivesTheReaderEndOfFile() throws Exception {
        Path source = Files.createFile(files.resolve("empty"));
        try (TempFifo fifo = TempFifo.builder().directory(base).create()) {
            CompletableFuture<byte[]> reader = OpenTest.async(() -> {
                try (InputStream in = fifo.openInputStream(WAIT)) {
                    return in.readAllBytes();
                }
            });
            assertThat(fifo.transferFrom(source, WAIT)).isZero();
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void transferFromAFileWhoseSizeSaysNothingCopiesItAll() throws Exception {
        // a /proc file says size 0: the copy must go on to the end of the data, not stop at the size
        Path source = Path.of("/proc/self/status");
        try (TempFifo fifo = TempFifo.builder().directory(base).create()) {
            CompletableFuture<byte[]> reader = OpenTest.async(() -> {
                try (InputStream in = fifo.openInputStream(WAIT)) {
                    return in.readAllBytes();
                }
            });
            long n = fifo.transferFrom(source, WAIT);
            String got = new String(reader.get(30, TimeUnit.SECONDS), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(got).startsWith("Name:").contains("Umask:");
            assertThat(n).isEqualTo(got.length());
        }
    }

    @Test
    void transferFromAMissingFileFailsBeforeWaitingForAReader() throws Exception {
        try (TempFifo fifo = TempFifo.builder().directory(base).create()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> fifo.transferFrom(files.resolve("missing"), Duration.ofMinutes(5)))
                    .isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("missing");
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void transferFromTimesOutWithoutAReaderAndLeavesNothingOpen() throws Exception {
        Path source = Files.write(files.resolve("small"), new byte[] {1, 2, 3});
        try (TempFifo fifo = TempFifo.builder().directory(base).create()) {
            assertThatThrownBy(() -> fifo.transferFrom(source, Duration.ofMillis(100)))
                    .isInstanceOf(FifoTimeoutException.class);
        }
    }

    @Test
    void transferFromAReaderThatLeavesEarlyIsABrokenPipe() throws Exception {
        Path source = Files.write(files.resolve("big"), new byte[8 * 1024 * 1024]);
        try (TempFifo fifo = TempFifo.builder().directory(base).create()) {
            CompletableFuture<Integer> reader = OpenTest.async(() -> {
                try (InputStream in = fifo.openInputStream(WAIT)) {
                    return in.read(new byte[10]);
                }
            });
            assertThatThrownBy(() -> fifo.transferFrom(source, WAIT)).isInstanceOf(IOException.class);
            assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void batchCreatesPrivateFifosWithDistinctNamesAndCloseRemovesEach() throws Exception {
        List<TempFifo> fifos = TempFifo.builder().directory(base).name("in.fastq").create(50);
        try {
            assertThat(fifos).hasSize(50);
            Set<Path> dirs = new HashSet<>();
            for (TempFifo f : fifos) {
                assertThat(f.path().getFileName()).hasToString("in.fastq");
                assertThat(f.directory().getParent()).isEqualTo(base);
                assertThat(f.directory().getFileName().toString()).matches("tempfifo-[a-z2-7]{16}\\.\\d+_\\d+");
                assertThat(Files.getAttribute(f.directory(), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0040700);
                assertThat(Files.getAttribute(f.path(), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0010600);
                dirs.add(f.directory());
            }
            assertThat(dirs).hasSize(50);
            // each one works
            TempFifo one = fifos.get(17);
            CompletableFuture<byte[]> reader = OpenTest.async(() -> {
                try (InputStream in = one.openInputStream(WAIT)) {
                    return in.readAllBytes();
                }
            });
            try (var out = one.openOutputStream(WAIT)) {
                out.write("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            assertThat(reader.get(30, TimeUnit.SECONDS)).asString().isEqualTo("hello");
        } finally {
            for (TempFifo f : fifos) {
                f.close();
            }
        }
    }

    @Test
    void batchOfZeroIsEmptyAndNegativeIsRefused() throws Exception {
        assertThat(TempFifo.builder().directory(base).create(0)).isEmpty();
        assertThatThrownBy(() -> TempFifo.builder().directory(base).create(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchThatFailsLeavesNothingBehind() throws Exception {
        Path missing = base.resolve("missing");
        assertThatThrownBy(() -> TempFifo.builder().directory(missing).create(5))
                .isInstanceOf(NoSuchFileException.class);
        // the directories fit in PATH_MAX but the FIFOs in them don't: mkfifo fails after the mkdirs
        Path deep = files;
        while (deep.toString().length() < 3800) {
            deep = deep.resolve("d".repeat(200));
        }
        Files.createDirectories(deep);
        Path deepBase = deep;
        assertThatThrownBy(() -> TempFifo.builder().directory(deepBase).name("f".repeat(255)).create(3))
                .isInstanceOf(IOException.class);
        try (var entries = Files.list(deepBase)) {
            assertThat(entries).isEmpty();
        }
    }
}
