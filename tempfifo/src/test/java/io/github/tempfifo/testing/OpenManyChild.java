package io.github.tempfifo.testing;

import io.github.tempfifo.TempFifo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A child JVM that holds many FIFOs open at once: {@code OpenManyChild BASE COUNT ENDS} creates
 * COUNT FIFOs, opens both ends of each and writes one byte into each; with ENDS {@code both} it
 * keeps both ends of every FIFO open, with {@code one} it closes each write end once written
 * (half the descriptors), and then reads each byte (and, with {@code one}, the end of stream).
 * Then it closes everything and prints
 * {@code created=… opened=… before=… peak=… after=… left=… error=…} (descriptor counts from
 * /proc/self/fd; {@code left} = entries left in BASE; {@code error} = the first failure, if any).
 */
public final class OpenManyChild {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private OpenManyChild() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        boolean both = args[2].equals("both");
        // Warm up, so that descriptors opened once per JVM are open before counting: the random
        // source of names (the DRBG, after the first names from /dev/urandom), the reserve.
        for (int i = 0; i < 64; i++) {
            TempFifo.builder().directory(base).create().close();
        }
        ExecutorService warmUpOpener = Executors.newSingleThreadExecutor();
        try (TempFifo warmUp = TempFifo.builder().directory(base).create()) {
            List<WritableByteChannel> w = new ArrayList<>();
            List<ReadableByteChannel> r = new ArrayList<>();
            openBoth(warmUp, warmUpOpener, w, r);
            w.get(0).close();
            r.get(0).close();
        }
        warmUpOpener.shutdown();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ExecutorService opener = Executors.newSingleThreadExecutor();
        int before = fds();
        List<TempFifo> fifos = Collections.synchronizedList(new ArrayList<>());
        List<WritableByteChannel> writers = new ArrayList<>();
        List<ReadableByteChannel> readers = new ArrayList<>();
        String error = "none";
        int peak = before;
        try {
            List<Future<?>> creates = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int share = count / 4 + (t < count % 4 ? 1 : 0);
                creates.add(pool.submit(() -> {
                    // in batches: one mkfifo process per batch on the portable backend, whose start
                    // costs more with each descriptor open (the child closes them all)
                    for (int made = 0; made < share; made += 250) {
                        fifos.addAll(TempFifo.builder().directory(base).create(Math.min(250, share - made)));
                    }
                    return null;
                }));
            }
            // each live TempFifo holds its directory: at a low limit, creating fails first
            java.util.concurrent.ExecutionException firstFailure = null;
            for (Future<?> f : creates) {
                try {
                    f.get(); // all of them: no creator may still add to fifos while they are closed
                } catch (java.util.concurrent.ExecutionException e) {
                    firstFailure = firstFailure == null ? e : firstFailure;
                }
            }
            if (firstFailure != null) {
                throw firstFailure;
            }
            for (TempFifo fifo : fifos) {
                openBoth(fifo, opener, writers, readers);
                WritableByteChannel writer = writers.get(writers.size() - 1);
                writer.write(ByteBuffer.wrap(new byte[] {(byte) readers.size()}));
                if (!both) {
                    writer.close();
                }
            }
            peak = fds();
            ByteBuffer one = ByteBuffer.allocate(1);
            for (int i = 0; i < readers.size(); i++) {
                one.clear();
                if (readers.get(i).read(one) != 1 || one.get(0) != (byte) (i + 1)) {
                    throw new IOException("wrong byte through FIFO " + i);
                }
                one.clear();
                if (!both && readers.get(i).read(one) != -1) {
                    throw new IOException("no end of stream from FIFO " + i);
                }
            }
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            error = cause.toString().replace('\n', ' ');
            cause.printStackTrace(); // stderr: for the test's failure message
            peak = fds();
        } finally {
            for (WritableByteChannel w : writers) {
                w.close();
            }
            for (ReadableByteChannel r : readers) {
                r.close();
            }
            for (TempFifo fifo : fifos) {
                fifo.close();
            }
            pool.shutdown();
            opener.shutdown();
        }
        long left;
        try (Stream<Path> entries = Files.list(base)) {
            left = entries.count();
        }
        int after = fds();
        if (after > before) { // for the test's failure message: what is still open
            Fds.describe().forEach(fd -> System.err.println("open: " + fd));
        }
        System.out.println("created=" + fifos.size() + " opened=" + readers.size() + " before=" + before + " peak=" + peak
                + " after=" + after + " left=" + left + " error=" + error);
    }

    /** Opens the read end on {@code opener} and the write end here; the first failure is thrown. */
    private static void openBoth(TempFifo fifo, ExecutorService opener, List<WritableByteChannel> writers,
                                 List<ReadableByteChannel> readers) throws Exception {
        CompletableFuture<ReadableByteChannel> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return fifo.openReadChannel(TIMEOUT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, opener);
        // a reader that fails (e.g. EMFILE) must not leave the writer waiting for it: close() releases it
        reader.whenComplete((channel, failure) -> {
            if (failure != null) {
                try {
                    fifo.close();
                } catch (IOException ignored) {
                    // reported by the final check of the base directory
                }
            }
        });
        WritableByteChannel writer;
        try {
            writer = fifo.openWriteChannel(TIMEOUT);
        } catch (IOException e) {
            fifo.close(); // releases the reader's open at once
            try {
                reader.join().close();
            } catch (CompletionException readerFailed) {
                if (String.valueOf(e.getMessage()).endsWith("the TempFifo was closed")) {
                    throw (Exception) readerFailed.getCause().getCause(); // the reader failed first, and closed it
                }
            }
            throw e;
        }
        try {
            readers.add(reader.join());
        } catch (CompletionException readerFailed) {
            writer.close();
            throw (Exception) readerFailed.getCause().getCause();
        }
        writers.add(writer);
    }

    /**
     * The open descriptors: the fewest of a few samples, since the JVM's own threads open files
     * for a moment (JDK 17's JIT reads cgroup files).
     *
     * @return the count, or -1 if no sample could count them (at the limit, listing needs one)
     */
    private static int fds() throws InterruptedException {
        System.gc();
        int fewest = Integer.MAX_VALUE;
        for (int sample = 0; sample < 5; sample++) {
            if (sample > 0) {
                Thread.sleep(20);
            }
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                fewest = Math.min(fewest, (int) fds.count() - 1);
            } catch (IOException e) {
                // none free to list with (at the limit): another sample may find one
            }
        }
        return fewest == Integer.MAX_VALUE ? -1 : fewest;
    }
}
