package io.github.tempfifo;

import io.github.tempfifo.testing.Async;
import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * FFM write ends grow a full pipe of the default size to 1 MiB, within a per-JVM budget (one
 * eighth of pipe-user-pages-soft, at most 8 MiB), given back when the end closes; an asked
 * capacity is kept. Shown by writes bigger than 64 KiB that complete with no one reading.
 */
@ExtendWith(NoLeaks.class)
class PipeGrowthTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int WRITE = 512 * 1024;

    @TempDir
    Path base;

    private static void assumeFfmAndBigPipes() throws Exception {
        assumeTrue(TempFifo.backend() == Backend.FFM, "pipes grow on the FFM backend only");
        assumeTrue(proc("pipe-max-size") >= (1 << 20),
                "pipe-max-size below 1 MiB");
    }

    private static long proc(String name) throws Exception {
        return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs", name)).get(0).trim()); // not readString: one byte on /proc
    }

    /** How many pipes of 1 MiB the JVM's budget holds. */
    private static int budgetInPipes() throws Exception {
        long soft = proc("pipe-user-pages-soft");
        long budget = Math.min(soft > 0 ? soft * 4096 / 8 : Long.MAX_VALUE, 8L << 20);
        return (int) (budget >> 20);
    }

    private record Pair(TempFifo fifo, ReadableByteChannel in, WritableByteChannel out) {
    }

    private static Pair open(TempFifo fifo) throws Exception {
        CompletableFuture<ReadableByteChannel> in = Async.run(() -> fifo.openReadChannel(WAIT));
        WritableByteChannel out = fifo.openWriteChannel(WAIT);
        return new Pair(fifo, in.get(30, TimeUnit.SECONDS), out);
    }

    private static CompletableFuture<Integer> writeAsync(WritableByteChannel out) {
        return Async.run(() -> out.write(ByteBuffer.allocate(WRITE)));
    }

    private static void drain(ReadableByteChannel in, int bytes) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        while (buf.hasRemaining()) {
            assertThat(in.read(buf)).isPositive();
        }
    }

    @Test
    void fullPipesGrowWithinTheBudgetWhichComesBackOnClose() throws Exception {
        assumeFfmAndBigPipes();
        int grows = budgetInPipes();
        assumeTrue(grows >= 1, "no budget");
        for (int round = 0; round < 2; round++) { // the second round proves the budget came back
            List<Pair> pairs = new ArrayList<>();
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            try {
                for (TempFifo fifo : TempFifo.builder().directory(base).create(grows + 1)) {
                    pairs.add(open(fifo));
                }
                for (Pair p : pairs) {
                    writes.add(writeAsync(p.out()));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (writes.stream().filter(CompletableFuture::isDone).count() < grows && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(300); // the one over budget has had time to finish, if it wrongly could
                assertThat(writes.stream().filter(CompletableFuture::isDone).count())
                        .as("writes of 512 KiB done with no reader reading: one per grown pipe").isEqualTo(grows);
                for (int i = 0; i < pairs.size(); i++) {
                    drain(pairs.get(i).in(), WRITE);
                    assertThat(writes.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(WRITE);
                }
            } finally {
                for (Pair p : pairs) {
                    p.out().close();
                    p.in().close();
                    p.fifo().close();
                }
            }
        }
    }

    @Test
    void anAskedCapacityIsKept() throws Exception {
        assumeFfmAndBigPipes();
        try (TempFifo fifo = TempFifo.builder().directory(base).pipeCapacity(64 * 1024).create()) {
            Pair p = open(fifo);
            try {
                CompletableFuture<Integer> write = writeAsync(p.out());
                Thread.sleep(500);
                assertThat(write).as("blocked: the pipe stayed at 64 KiB").isNotDone();
                drain(p.in(), WRITE);
                assertThat(write.get(30, TimeUnit.SECONDS)).isEqualTo(WRITE);
            } finally {
                p.out().close();
                p.in().close();
            }
        }
    }
}
