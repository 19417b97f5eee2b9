package io.github.tempfifo.bench.jmh;

import io.github.tempfifo.FifoProcess;
import io.github.tempfifo.FifoProcessBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The process-substitution API's cost per run: {@code cat FIFO} fed by Java bytes or by another
 * command, against starting {@code cat /dev/null} with a plain ProcessBuilder. The difference is
 * the overhead of one substitution (FIFO, its thread, the wait for the open, the cleanup).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProcessSubstitutionBenchmark extends BenchmarkDefaults {
    private static final byte[] HELLO = "hi\n".getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public int plainProcessBuilder() throws Exception {
        Process p = new ProcessBuilder("cat", "/dev/null").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    @Benchmark
    public int inputFromBytes() throws Exception {
        try (FifoProcessBuilder pb = new FifoProcessBuilder()) {
            Path in = pb.inputFrom(HELLO);
            pb.command("cat", in.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            return run(pb);
        }
    }

    @Benchmark
    public int inputFromCommand() throws Exception {
        try (FifoProcessBuilder pb = new FifoProcessBuilder()) {
            Path in = pb.inputFrom(new ProcessBuilder("echo", "hi"));
            pb.command("cat", in.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            return run(pb);
        }
    }

    private static int run(FifoProcessBuilder pb) throws IOException, InterruptedException {
        try (FifoProcess process = pb.start()) {
            return process.waitFor();
        }
    }
}
