package io.github.tempfifo.bench;

import io.github.tempfifo.TempFifo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@link Compare}'s create+close measurements: ns per FIFO. */
final class CreateTimings {
    private CreateTimings() {
    }

    static double create(Path dir, int n) throws Exception {
        TempFifo.Builder builder = TempFifo.builder().directory(dir);
        return Timing.medianAfterWarmup(n, () -> builder.create().close());
    }

    /**
     * N creates held open at once, then N closes, repeated so that at least 20,000 FIFOs are
     * timed (small N); medians over the repeats.
     *
     * @return {ns per FIFO (create+close), create ns, close ns, heap bytes per open TempFifo}
     */
    static double[] burst(Path dir, int n, boolean heap) throws Exception {
        TempFifo.Builder builder = TempFifo.builder().directory(dir);
        Timing.warmUp(2000, () -> builder.create().close());
        int repeats = Math.max(1, 20_000 / n);
        double[] create = new double[repeats];
        double[] close = new double[repeats];
        double heapPerFifo = 0;
        List<TempFifo> open = new ArrayList<>(n);
        for (int r = 0; r < repeats; r++) {
            boolean measureHeap = heap && r == 0;
            long before = measureHeap ? usedHeapAfterGc() : 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                open.add(builder.create());
            }
            long t1 = System.nanoTime();
            if (measureHeap) {
                heapPerFifo = (usedHeapAfterGc() - before) / (double) n;
            }
            long t2 = System.nanoTime();
            for (TempFifo f : open) {
                f.close();
            }
            long t3 = System.nanoTime();
            open.clear();
            create[r] = (t1 - t0) / (double) n;
            close[r] = (t3 - t2) / (double) n;
        }
        Arrays.sort(create);
        Arrays.sort(close);
        double cr = create[repeats / 2];
        double cl = close[repeats / 2];
        return new double[] {cr + cl, cr, cl, heapPerFifo};
    }

    static double batch(Path dir, int n) throws IOException {
        TempFifo.Builder builder = TempFifo.builder().directory(dir);
        for (TempFifo f : builder.create(Math.min(n, 2000))) { // warm up
            f.close();
        }
        long t0 = System.nanoTime();
        List<TempFifo> open = builder.create(n);
        for (TempFifo f : open) {
            f.close();
        }
        return (System.nanoTime() - t0) / (double) n;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** What Java users do today: a temp directory, then the mkfifo program. */
    static double processBuilderMkfifo(Path dir, int n) throws Exception {
        Timing.Step step = () -> {
            Path d = mkfifoTheUsualWay(dir);
            Files.delete(d.resolve("fifo"));
            Files.delete(d);
        };
        for (int i = 0; i < Math.max(n / 2, 1); i++) { // a count, not a time: each step starts a process
            step.run();
        }
        return Timing.medianOfBatches(n, step);
    }

    /** @return a new private directory in {@code dir} holding a FIFO named "fifo", made by the mkfifo program */
    static Path mkfifoTheUsualWay(Path dir) throws IOException, InterruptedException {
        Path d = Files.createTempDirectory(dir, "pb-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Process p = new ProcessBuilder("mkfifo", "-m", "600", d.resolve("fifo").toString()).start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo failed");
        }
        return d;
    }
}
