package io.github.tempfifo.bench.jmh;

import io.github.tempfifo.TempFifo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * create+close of one TempFifo, per backend and base directory (tmpfs and the disk's /tmp), and
 * the portable backend's batch create. The backend is chosen per fork by JVM flags.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CreateBenchmark extends BenchmarkDefaults {
    @Param({"/dev/shm", "/tmp"})
    public String dir;

    private TempFifo.Builder builder;

    @Setup
    public void setup() {
        builder = TempFifo.builder().directory(Path.of(dir));
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dtempfifo.backend=ffm"})
    public void createCloseFfm() throws IOException {
        builder.create().close();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dtempfifo.backend=portable")
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    public void createClosePortable() throws IOException {
        builder.create().close();
    }

    /** Time per FIFO of {@code Builder.create(1000)} and 1,000 closes: one mkfifo process per batch. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dtempfifo.backend=portable")
    @OperationsPerInvocation(1000)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    public void batchOf1000Portable() throws IOException {
        List<TempFifo> fifos = builder.create(1000);
        for (TempFifo f : fifos) {
            f.close();
        }
    }
}
