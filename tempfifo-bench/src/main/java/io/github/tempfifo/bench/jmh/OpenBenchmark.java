package io.github.tempfifo.bench.jmh;

import io.github.tempfifo.TempFifo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Opening both ends of one FIFO (the read end on a helper thread) and closing them. */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpenBenchmark extends BenchmarkDefaults {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TempFifo fifo;
    private ExecutorService readerThread;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        fifo = TempFifo.builder().directory(Path.of("/dev/shm")).create();
        readerThread = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        readerThread.shutdownNow();
        fifo.close();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dtempfifo.backend=ffm"})
    public void openBothEndsAndCloseFfm() throws Exception {
        openBothEndsAndClose();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dtempfifo.backend=portable")
    public void openBothEndsAndClosePortable() throws Exception {
        openBothEndsAndClose();
    }

    private void openBothEndsAndClose() throws Exception {
        Future<ReadableByteChannel> reader = readerThread.submit(() -> fifo.openReadChannel(WAIT));
        try (WritableByteChannel out = fifo.openWriteChannel(WAIT); ReadableByteChannel in = reader.get()) {
            // both open
        }
    }
}
