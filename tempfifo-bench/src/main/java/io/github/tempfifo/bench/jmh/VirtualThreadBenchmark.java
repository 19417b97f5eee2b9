package io.github.tempfifo.bench.jmh;

import io.github.tempfifo.TempFifo;
import io.github.tempfifo.bench.Streams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@value #FIFOS} FIFOs streamed at once, {@value #BYTES} bytes each (64 KiB writes), writers
 * submitted before readers: on virtual threads ({@code Executors.newVirtualThreadPerTaskExecutor()},
 * JDK 21+) against platform threads (a cached pool). Issue 11's target 6: virtual at least 0.8×
 * the rate of platform threads. Time per run of all the streams.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class VirtualThreadBenchmark extends BenchmarkDefaults {
    static final int FIFOS = 1000;
    static final int BYTES = 1 << 20;
    private static final int CHUNK = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Param({"platform", "virtual"})
    public String threads;

    private Path base;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "vtbench");
        pool = Streams.threadPool(threads.equals("virtual"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pool.shutdownNow();
        Files.delete(base);
    }

    @Benchmark
    public long streams() throws Exception {
        List<TempFifo> fifos = TempFifo.builder().directory(base).create(FIFOS);
        try {
            return Streams.streamAll(pool, fifos, BYTES, CHUNK, WAIT);
        } finally {
            for (TempFifo fifo : fifos) {
                fifo.close();
            }
        }
    }
}
