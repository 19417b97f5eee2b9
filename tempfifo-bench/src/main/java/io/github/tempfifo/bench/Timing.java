package io.github.tempfifo.bench;

import java.util.Arrays;

/** How {@link Compare} times a step: after a warm-up, the median of 5 batches (as bench/c/fifobench.c does). */
final class Timing {
    /** Loops warm up for at least this long (and their minimum count), so that the JIT is done. */
    static final long WARMUP_NANOS = Long.getLong("bench.warmupMillis", 2000) * 1_000_000L;

    private Timing() {
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} at least {@code times} times and for at least {@link #WARMUP_NANOS}. */
    static void warmUp(int times, Step step) throws Exception {
        long warm = System.nanoTime() + WARMUP_NANOS;
        for (int i = 0; i < times || System.nanoTime() < warm; i++) {
            step.run();
        }
    }

    /** After {@link #warmUp} ({@code n / 2} times), the median batch's ns per step of {@code n}. */
    static double medianAfterWarmup(int n, Step step) throws Exception {
        warmUp(n / 2, step);
        return medianOfBatches(n, step);
    }

    /** Runs {@code step} n times in 5 batches: the median batch's ns per step. */
    static double medianOfBatches(int n, Step step) throws Exception {
        int per = Math.max(n / 5, 1);
        double[] batch = new double[5];
        for (int b = 0; b < 5; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < per; i++) {
                step.run();
            }
            batch[b] = (System.nanoTime() - t0) / (double) per;
        }
        Arrays.sort(batch);
        return batch[2];
    }
}
