package io.github.tempfifo.bench.jmh;

import io.github.tempfifo.TempFifo;
import io.github.tempfifo.bench.Streams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Moving {@value #BYTES} bytes through a FIFO from a writer thread to a reader thread in one JVM:
 * by chunk size and pipe capacity (0 = the system's default, 64 KiB), and feeding a file with
 * {@link TempFifo#transferFrom} against a stream copy. Time per transfer: divide
 * {@value #BYTES} by it for bytes per second.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ThroughputBenchmark extends BenchmarkDefaults {
    static final long BYTES = 64L << 20;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Param({"4096", "65536", "1048576"})
    public int chunk;

    @Param({"0", "1048576"})
    public int capacity;

    private ExecutorService readerThread;
    private Path file;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        readerThread = Executors.newSingleThreadExecutor();
        file = Files.createTempFile("tempfifo-bench", ".bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            Streams.fill(out, BYTES, 1 << 20);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        readerThread.shutdownNow();
        Files.deleteIfExists(file);
    }

    private TempFifo newFifo() throws IOException {
        return Streams.fifoBuilder(Path.of("/dev/shm"), capacity).create();
    }

    private Future<Long> drain(TempFifo fifo) {
        return readerThread.submit(() -> {
            try (InputStream in = fifo.openInputStream(WAIT)) {
                return Streams.drain(in, chunk);
            }
        });
    }

    @Benchmark
    public long streams() throws Exception {
        try (TempFifo fifo = newFifo()) {
            Future<Long> reader = drain(fifo);
            try (OutputStream out = fifo.openOutputStream(WAIT)) {
                Streams.fill(out, BYTES, chunk);
            }
            return reader.get();
        }
    }

    @Benchmark
    public long transferFromFile() throws Exception {
        try (TempFifo fifo = newFifo()) {
            Future<Long> reader = drain(fifo);
            fifo.transferFrom(file, WAIT);
            return reader.get();
        }
    }

    @Benchmark
    public long streamCopyFromFile() throws Exception {
        try (TempFifo fifo = newFifo()) {
            Future<Long> reader = drain(fifo);
            try (InputStream in = Files.newInputStream(file); OutputStream out = fifo.openOutputStream(WAIT)) {
                in.transferTo(out);
            }
            return reader.get();
        }
    }
}
