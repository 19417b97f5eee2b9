package io.github.tempfifo.hostile;

import io.github.tempfifo.FifoTimeoutException;
import io.github.tempfifo.TempFifo;
import io.github.tempfifo.testing.Cmd;
import io.github.tempfifo.testing.Async;
import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 4, item 3, faults: the other process never opens, dies mid-stream or exits before
 * opening; threads interrupted while writing or reading through streams; close() racing opens of
 * both ends from many threads; inodes running out part-way. Each ends with an exception (never a
 * hang, never a JVM crash) and nothing left: no file, descriptor or thread.
 * (Timeouts, interrupted and closed opens, blocked channel reads: OpenTest. SIGTERM, SIGKILL and a
 * read-only file system at close: CleanupTest. ENOSPC and read-only at create: ErrorsTest.)
 */
@ExtendWith(NoLeaks.class)
class FaultTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path base;
    TempFifo fifo;

    @BeforeEach
    void create() throws IOException {
        fifo = TempFifo.builder().directory(base).create();
    }

    @AfterEach
    void nothingLeft() throws Exception {
        fifo.close();
        try (Stream<Path> entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
    }

    static <T> CompletableFuture<T> async(Async.Task<T> task) {
        return Async.run(task);
    }

    static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        return Async.failureOf(f, 20);
    }

    private Process start(String script) throws IOException {
        return new ProcessBuilder("/bin/sh", "-c", script, "sh", fifo.path().toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void kill9(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReaderProgramThatNeverOpensTimesOut() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start(); // given the path, never opens it
        try {
            assertThatThrownBy(() -> fifo.openOutputStream(Duration.ofMillis(300))).isInstanceOf(FifoTimeoutException.class);
        } finally {
            kill9(sleeper);
        }
    }

    @Test
    void aProgramThatExitsBeforeOpeningLeavesTheOpenToTimeOut() throws Exception {
        Process quitter = start("exit 3");
        assertThat(quitter.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> fifo.openInputStream(Duration.ofMillis(300))).isInstanceOf(FifoTimeoutException.class);
        assertThatThrownBy(() -> fifo.openOutputStream(Duration.ofMillis(300))).isInstanceOf(FifoTimeoutException.class);
    }

    /** The reader opens and exits at once: whether we open before or after, the writer fails, promptly. */
    @Test
    void aReaderThatOpensAndExitsWithoutReading() throws Exception {
        Process reader = start("exec 3<\"$1\"; exit 0");
        long start = System.nanoTime();
        assertThatThrownBy(() -> {
            try (OutputStream out = fifo.openOutputStream(Duration.ofSeconds(2))) {
                for (int i = 0; i < 1000; i++) {
                    out.write(new byte[65536]);
                }
            }
        }).isInstanceOf(IOException.class);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(reader.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGKILL to the reader mid-stream: the writer gets "Broken pipe" (SIGPIPE does not kill the JVM). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theReaderDyingMidStreamFailsTheWriter(boolean channel) throws Exception {
        Process reader = start("exec cat \"$1\"");
        AtomicLong written = new AtomicLong();
        CompletableFuture<Object> writer = async(() -> {
            byte[] chunk = new byte[8192];
            if (channel) {
                try (WritableByteChannel out = fifo.openWriteChannel(LONG)) {
                    while (true) {
                        ByteBuffer buf = ByteBuffer.wrap(chunk);
                        while (buf.hasRemaining()) {
                            out.write(buf);
                        }
                        written.addAndGet(chunk.length);
                    }
                }
            }
            try (OutputStream out = fifo.openOutputStream(LONG)) {
                while (true) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            }
        });
        awaitProgress(written, 1 << 20);
        kill9(reader);
        Throwable failure = failureOf(writer);
        assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining("Broken pipe");
    }

    /** SIGKILL to the writer mid-stream: the reader sees end of stream after the data that got through. */
    @Test
    void theWriterDyingMidStreamGivesTheReaderEndOfStream() throws Exception {
        Process writer = start("exec yes tempfifo > \"$1\"");
        try (InputStream in = fifo.openInputStream(LONG)) {
            byte[] first = in.readNBytes(1 << 20);
            assertThat(new String(first, 0, 9, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("tempfifo\n");
            kill9(writer);
            CompletableFuture<Long> rest = async(() -> {
                long n = 0;
                byte[] buf = new byte[65536];
                for (int r; (r = in.read(buf)) >= 0; ) {
                    n += r;
                }
                return n;
            });
            assertThat(rest.get(20, TimeUnit.SECONDS)).isLessThanOrEqualTo(1 << 20); // what was in the pipe, then EOF
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void interruptReleasesABlockedWrite(boolean stream) throws Exception {
        CompletableFuture<ReadableByteChannel> reader = async(() -> fifo.openReadChannel(LONG));
        try (WritableByteChannel channel = fifo.openWriteChannel(LONG); ReadableByteChannel in = reader.get(10, TimeUnit.SECONDS)) {
            OutputStream out = java.nio.channels.Channels.newOutputStream(channel);
            Thread[] blocked = new Thread[1];
            AtomicLong written = new AtomicLong();
            CompletableFuture<Object> write = async(() -> {
                blocked[0] = Thread.currentThread();
                byte[] chunk = new byte[4096];
                while (true) { // no one reads: fills the pipe, then blocks
                    if (stream) {
                        out.write(chunk);
                    } else {
                        channel.write(ByteBuffer.wrap(chunk));
                    }
                    written.addAndGet(chunk.length);
                }
            });
            awaitStuck(written, blocked);
            long start = System.nanoTime();
            blocked[0].interrupt();
            assertThat(failureOf(write)).isInstanceOf(ClosedByInterruptException.class);
            // promptly (a write no one reads would block forever), with seconds of margin for a loaded machine
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThat(channel.isOpen()).isFalse();
        }
    }

    @Test
    void interruptReleasesABlockedStreamRead() throws Exception {
        CompletableFuture<InputStream> reader = async(() -> fifo.openInputStream(LONG));
        try (OutputStream out = fifo.openOutputStream(LONG); InputStream in = reader.get(10, TimeUnit.SECONDS)) {
            Thread[] blocked = new Thread[1];
            CompletableFuture<Integer> read = async(() -> {
                blocked[0] = Thread.currentThread();
                return in.read();
            });
            awaitStuck(new AtomicLong(), blocked);
            blocked[0].interrupt();
            assertThat(failureOf(read)).isInstanceOf(ClosedByInterruptException.class);
        }
    }

    /**
     * close() from one thread while eight others open both ends at random moments: each open
     * either succeeds (and its end works) or fails with an IOException; none hangs or leaks.
     */
    @Test
    void closeRacingOpensOfBothEndsFromManyThreads() throws Exception {
        for (int round = 0; round < 40; round++) {
            TempFifo f = TempFifo.builder().directory(base).create();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Closeable>> opens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                boolean write = i % 2 == 0;
                opens.add(async(() -> {
                    go.await();
                    return write ? f.openWriteChannel(LONG) : f.openReadChannel(LONG);
                }));
            }
            go.countDown();
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            f.close();
            assertThat(f.directory()).doesNotExist();
            for (CompletableFuture<Closeable> open : opens) {
                try {
                    open.get(10, TimeUnit.SECONDS).close(); // opened before close(): a working end
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOfAny(FileSystemException.class, InterruptedIOException.class, IOException.class);
                    assertThat(e.getCause()).isNotInstanceOf(FifoTimeoutException.class);
                }
            }
        }
    }

    /** Inodes run out part-way through a series of creates: a clear error, the rest work, nothing left. */
    @Test
    void inodesRunningOutPartWay() throws Exception {
        assumeTrue(Cmd.isRoot(), "needs root to mount a tmpfs");
        Path mnt = Files.createDirectory(base.resolve("mnt"));
        // 1 inode for the root, 2 per TempFifo (directory and FIFO): 10 fit, the 11th fails
        assumeTrue(Cmd.run("mount", "-t", "tmpfs", "-o", "size=1m,nr_inodes=21,mode=0700", "tmpfs", mnt.toString()).status() == 0,
                "could not mount a tmpfs");
        List<TempFifo> made = new ArrayList<>();
        try {
            IOException failure = null;
            while (failure == null && made.size() < 100) {
                try {
                    made.add(TempFifo.builder().directory(mnt).create());
                } catch (IOException e) {
                    failure = e;
                }
            }
            assertThat(failure).isInstanceOf(FileSystemException.class).hasMessageContaining(mnt.toString())
                    .hasMessageContaining("No space left on device");
            assertThat(made).hasSize(10);
            try (Stream<Path> entries = Files.list(mnt)) {
                assertThat(entries).hasSize(10); // the failed create left no directory
            }
            TempFifo last = made.get(9);
            CompletableFuture<byte[]> read = async(() -> {
                try (InputStream in = last.openInputStream(LONG)) {
                    return in.readAllBytes();
                }
            });
            try (OutputStream out = last.openOutputStream(LONG)) {
                out.write(42);
            }
            assertThat(read.get(10, TimeUnit.SECONDS)).containsExactly(42);
        } finally {
            for (TempFifo f : made) {
                f.close();
            }
            try (Stream<Path> entries = Files.list(mnt)) {
                assertThat(entries).isEmpty();
            } finally {
                assertThat(Cmd.run("umount", mnt.toString()).status()).isZero();
                Files.delete(mnt);
            }
        }
    }

    private static void awaitProgress(AtomicLong counter, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (counter.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no progress: " + counter.get());
            }
            Thread.sleep(5);
        }
    }

    /** Waits until the thread has started and its counter has stopped moving (it is blocked). */
    private static void awaitStuck(AtomicLong counter, Thread[] thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread[0] == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long last;
        do {
            last = counter.get();
            Thread.sleep(300);
        } while (counter.get() != last);
    }
}
