package io.github.tempfifo;

import io.github.tempfifo.SubstitutionResult.Outcome;
import io.github.tempfifo.testing.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Process substitution through the Java API with real external programs ({@code diff}, {@code cat},
 * {@code head}, {@code sha256sum}, {@code sh}): several FIFOs at once in any order, a gigabyte,
 * a program that never opens its FIFOs or stops reading early, failures reported, and nothing
 * (file, thread, fd, process) left behind. Time limits are about hanging, never speed.
 */
@ExtendWith(NoLeaks.class)
class FifoProcessTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    @TempDir
    Path base;
    @TempDir
    Path work;

    private FifoProcessBuilder builder() {
        return new FifoProcessBuilder().fifoBuilder(TempFifo.builder().directory(base));
    }

    @AfterEach
    void nothingLeftInBase() throws IOException {
        try (var entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
    }

    private static int waitFor(FifoProcess p) throws Exception {
        assertThat(p.waitFor(HANG)).as("finished within %s", HANG).isTrue();
        return p.exitStatus();
    }

    @Test
    void diffOfTwoInputsFromJavaAndFromACommand() throws Exception {
        Path out = work.resolve("out");
        try (FifoProcessBuilder pb = builder()) {
            Path left = pb.inputFrom("one\ntwo\n".getBytes(UTF_8));
            Path right = pb.inputFrom(new ProcessBuilder("printf", "one\\nthree\\n"));
            pb.command("diff", left.toString(), right.toString()).redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
            FifoProcess diff = pb.start();
            assertThat(waitFor(diff)).isEqualTo(1);
            assertThat(diff.results()).extracting(SubstitutionResult::outcome).containsExactly(Outcome.COMPLETED, Outcome.COMPLETED);
            assertThat(diff.results().get(1).exitStatus()).hasValue(0);
        }
        assertThat(Files.readString(out)).isEqualTo("2c2\n< two\n---\n> three\n");
    }

    /** outputTo(Path): what the program writes lands in the file; a FIFO never opened leaves no file. */
    @Test
    void outputToAFileAndAFileNeverWritten() throws Exception {
        Path written = work.resolve("written.txt");
        Path untouched = work.resolve("untouched.txt");
        Files.writeString(written, "old contents, longer than what replaces them\n");
        try (FifoProcessBuilder pb = builder()) {
            Path out = pb.outputTo(written);
            pb.outputTo(untouched);
            byte[] big = new byte[300_000]; // more than a pipe holds: the file is written while the program runs
            java.util.Arrays.fill(big, (byte) 'x');
            Path in = pb.inputFrom(big);
            pb.command("sh", "-c", "cat \"$1\" > \"$2\"", "sh", in.toString(), out.toString());
            FifoProcess p = pb.start();
            assertThat(waitFor(p)).isZero();
            assertThat(p.results()).extracting(SubstitutionResult::outcome)
                    .containsExactly(Outcome.COMPLETED, Outcome.NEVER_OPENED, Outcome.COMPLETED);
        }
        assertThat(Files.size(written)).isEqualTo(300_000);
        assertThat(untouched).doesNotExist();
    }

    /**
     * As with bash's {@code <(...)} and {@code >(...)}: once a substitution is done, the program's
     * next open of its FIFO does not wait for a peer that will never come. A reader reads end of
     * file; a writer's bytes go nowhere (a write may fail as on a pipe whose reader has gone).
     */
    @Test
    void reopeningAFinishedSubstitutionDoesNotHang() throws Exception {
        Path out = work.resolve("out");
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (FifoProcessBuilder pb = builder()) {
            Path fromJava = pb.inputFrom("java\n".getBytes(UTF_8));
            Path fromCommand = pb.inputFrom(new ProcessBuilder("echo", "command"));
            Path toJava = pb.outputTo(written);
            pb.command("sh", "-c", "cat \"$1\" \"$1\" \"$2\" \"$2\"; echo one > \"$3\"; sleep 0.2;"
                    + " (trap '' PIPE; echo two > \"$3\") 2>/dev/null; cat \"$1\" \"$2\"; echo end",
                    "sh", fromJava.toString(), fromCommand.toString(), toJava.toString())
                    .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
            FifoProcess p = pb.start();
            assertThat(waitFor(p)).isZero();
            assertThat(p.results()).extracting(SubstitutionResult::outcome)
                    .containsExactly(Outcome.COMPLETED, Outcome.COMPLETED, Outcome.COMPLETED);
        }
        assertThat(Files.readString(out)).isEqualTo("java\ncommand\nend\n");
        assertThat(written.toString(UTF_8)).isEqualTo("one\n");
    }

    @Test
    void manySubstitutionsOpenedInReverseOrderWithMoreThanAPipeFullEach() throws Exception {
        byte[] big = new byte[1 << 20]; // 16 pipe buffers: no FIFO can be served by buffering alone
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        Path file = work.resolve("file");
        Files.write(file, big);
        ByteArrayOutputStream toJava = new ByteArrayOutputStream();
        Path fromCommand = work.resolve("from-command");
        try (FifoProcessBuilder pb = builder()) {
            Path in1 = pb.inputFrom(out -> out.write(big));
            Path in2 = pb.inputFrom(new ByteArrayInputStream(big));
            Path in3 = pb.inputFrom(file);
            Path in4 = pb.inputFrom(new ProcessBuilder("cat", file.toString()));
            Path out5 = pb.outputTo(toJava);
            Path out6 = pb.outputTo(new ProcessBuilder("sh", "-c", "cat > \"$0\"", fromCommand.toString()));
            // Opens them last to first; each output gets all four inputs.
            pb.command("sh", "-c", "cat \"$4\" \"$3\" \"$2\" \"$1\" | tee \"$6\" > \"$5\"", "sh",
                    in1.toString(), in2.toString(), in3.toString(), in4.toString(), out5.toString(), out6.toString());
            FifoProcess p = pb.start();
            assertThat(waitFor(p)).isZero();
            assertThat(p.results()).extracting(SubstitutionResult::outcome).containsOnly(Outcome.COMPLETED);
            assertThat(p.results()).extracting(SubstitutionResult::index).containsExactly(1, 2, 3, 4, 5, 6);
        }
        assertThat(toJava.size()).isEqualTo(4 * big.length);
        assertThat(Files.size(fromCommand)).isEqualTo(4L * big.length);
        assertThat(Files.readAllBytes(fromCommand)).isEqualTo(toJava.toByteArray());
    }

    @Test
    void aGibibyteFromAJavaGeneratorMatchesItsChecksum() throws Exception {
        long size = 1L << 30;
        MessageDigest sent = sha256();
        Path out = work.resolve("sum");
        try (FifoProcessBuilder pb = builder()) {
            Path in = pb.inputFrom(stream -> {
                byte[] block = new byte[64 * 1024];
                for (long written = 0; written < size; written += block.length) {
                    for (int i = 0; i < block.length; i += 4096) {
                        block[i] = (byte) (written >>> 16); // vary the data, cheaply
                    }
                    sent.update(block);
                    stream.write(block);
                }
            });
            pb.command("sha256sum", in.toString()).redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
            FifoProcess p = pb.start();
            assertThat(waitFor(p)).isZero();
            assertThat(p.results().get(0).outcome()).isEqualTo(Outcome.COMPLETED);
        }
        assertThat(Files.readString(out)).startsWith(HexFormat.of().formatHex(sent.digest()) + " ");
    }

    @Test
    void aProgramThatNeverOpensItsFifosFinishesAndNothingRuns() throws Exception {
        AtomicBoolean called = new AtomicBoolean();
        Path marker = work.resolve("marker");
        try (FifoProcessBuilder pb = builder()) {
            pb.inputFrom(out -> called.set(true));
            pb.inputFrom(new ProcessBuilder("touch", marker.toString()));
            pb.outputTo(in -> called.set(true));
            pb.outputTo(new ProcessBuilder("touch", marker.toString()));
            pb.command("sh", "-c", "exit 5");
            FifoProcess p = pb.start();
            assertThat(waitFor(p)).isEqualTo(5);
            assertThat(p.results()).extracting(SubstitutionResult::outcome).containsOnly(Outcome.NEVER_OPENED);
        }
        assertThat(called).isFalse();
        assertThat(marker).doesNotExist();
    }

    @Test
    void aProgramThatStopsReadingEarlyCutsItsInputsOff() throws Exception {
        Path out = work.resolve("out");
        try (FifoProcessBuilder pb = builder()) {
            Path java = pb.inputFrom(stream -> {
                byte[] block = new byte[64 * 1024];
                for (long i = 0; i < (1L << 30); i += block.length) {
                    stream.write(block);
                }
            });
            Path command = pb.inputFrom(new ProcessBuilder("head", "-c", "1G", "/dev/zero"));
            pb.command("sh", "-c", "head -c 10 \"$1\" | wc -c; head -c 10 \"$2\" | wc -c", "sh", java.toString(), command.toString())
                    .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
            FifoProcess p = pb.start();
            assertThat(waitFor(p)).isZero();
            assertThat(p.results()).extracting(SubstitutionResult::outcome).containsExactly(Outcome.CUT_OFF, Outcome.CUT_OFF);
            assertThat(p.results()).noneMatch(SubstitutionResult::failed);
        }
        assertThat(Files.readString(out).replace(" ", "")).isEqualTo("10\n10\n");
    }

    @Test
    void aFailingJavaWriterSurfacesAndAFailingCommandIsReported() throws Exception {
        try (FifoProcessBuilder pb = builder()) {
            Path java = pb.inputFrom(out -> {
                out.write("partial\n".getBytes(UTF_8));
                throw new IOException("generator broke");
            });
            Path command = pb.inputFrom(new ProcessBuilder("sh", "-c", "echo x; exit 3"));
            pb.command("sh", "-c", "cat \"$1\" \"$2\" > /dev/null", "sh", java.toString(), command.toString());
            FifoProcess p = pb.start();
            assertThatThrownBy(p::waitFor).isInstanceOf(SubstitutionException.class)
                    .hasRootCauseMessage("generator broke")
                    .satisfies(e -> assertThat(((SubstitutionException) e).results()).hasSize(2));
            assertThat(p.exitStatus()).isZero();
            List<SubstitutionResult> results = p.results();
            assertThat(results.get(0).outcome()).isEqualTo(Outcome.FAILED);
            assertThat(results.get(0).exception()).get().extracting(Throwable::getMessage).isEqualTo("generator broke");
            assertThat(results.get(1).outcome()).isEqualTo(Outcome.FAILED);
            assertThat(results.get(1).exitStatus()).hasValue(3);
        }
    }

    @Test
    void outputWrittenJustBeforeTheProgramExitsIsNeverLost() throws Exception {
        for (int i = 0; i < 20; i++) {
            ByteArrayOutputStream toJava = new ByteArrayOutputStream();
            Path fromCommand = work.resolve("c" + i);
            try (FifoProcessBuilder pb = builder()) {
                Path a = pb.outputTo(toJava);
                Path b = pb.outputTo(new ProcessBuilder("sh", "-c", "cat > \"$0\"", fromCommand.toString()));
                pb.command("sh", "-c", "echo one > \"$1\"; echo two > \"$2\"", "sh", a.toString(), b.toString());
                FifoProcess p = pb.start();
                assertThat(waitFor(p)).isZero();
                assertThat(p.results()).extracting(SubstitutionResult::outcome).containsOnly(Outcome.COMPLETED);
            }
            assertThat(toJava.toString(UTF_8)).isEqualTo("one\n");
            assertThat(Files.readString(fromCommand)).isEqualTo("two\n");
        }
    }

    @Test
    void closeEndsTheProgramAndEverySubstitution() throws Exception {
        FifoProcess p;
        try (FifoProcessBuilder pb = builder()) {
            Path in = pb.inputFrom(new ProcessBuilder("sh", "-c", "exec sleep 60"));
            Path out = pb.outputTo(new ProcessBuilder("sh", "-c", "exec sleep 61"));
            pb.command("sh", "-c", "exec 3<\"$1\" 4>\"$2\"; exec sleep 62", "sh", in.toString(), out.toString());
            p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<ProcessHandle> all;
            do { // the two commands start once the program has opened both FIFOs
                all = ProcessHandle.current().descendants().filter(h -> h.info().command().orElse("").endsWith("sleep")).toList();
            } while (all.size() < 3 && System.nanoTime() < deadline);
            assertThat(all).hasSize(3);
            p.close();
            assertThat(p.isDone()).isTrue();
            assertThat(all).noneMatch(ProcessHandle::isAlive);
            assertThat(p.exitStatus()).isEqualTo(128 + 15);
            assertThat(p.results()).extracting(SubstitutionResult::outcome).containsOnly(Outcome.CUT_OFF);
        }
    }

    @Test
    void aProgramThatCannotStartLeavesNothing() throws IOException {
        try (FifoProcessBuilder pb = builder()) {
            pb.inputFrom("x".getBytes(StandardCharsets.UTF_8));
            pb.command(work.resolve("no-such-program").toString());
            assertThatThrownBy(pb::start).isInstanceOf(IOException.class);
        }
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }
}
