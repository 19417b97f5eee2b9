package io.github.tempfifo.testing;

import io.github.tempfifo.FifoProcess;
import io.github.tempfifo.FifoProcessBuilder;
import io.github.tempfifo.SubstitutionResult;
import io.github.tempfifo.TempFifo;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the paths where tempfifo decides on an error, for {@code LocaleTest}, which starts it under
 * a non-English locale: {@code LocaleChild BASE} prints {@code key=value} lines.
 */
public final class LocaleChild {
    private LocaleChild() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        // proof that the C library's messages are in the locale's language here
        try (FileInputStream ignored = new FileInputStream(base.resolve("missing").toFile())) {
            System.out.println("strerror=none");
        } catch (IOException e) {
            System.out.println("strerror=" + e.getMessage());
        }
        TempFifo.Builder fifos = TempFifo.builder().directory(base);

        // the program stops reading early: the writes fail with EPIPE, in this locale's words
        try (FifoProcessBuilder pb = new FifoProcessBuilder().fifoBuilder(fifos)) {
            Path in = pb.inputFrom(new byte[4 << 20]);
            pb.command("head", "-c", "1", in.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            try (FifoProcess p = pb.start()) {
                System.out.println("status=" + p.waitFor());
                SubstitutionResult r = p.results().get(0);
                System.out.println("cutoff=" + r.outcome());
                System.out.println("cutoff.reason=" + r.exception().map(Throwable::getMessage).orElse("none"));
            }
        }

        // the program never opens its FIFOs; and one that writes just before it exits
        try (FifoProcessBuilder pb = new FifoProcessBuilder().fifoBuilder(fifos)) {
            Path in = pb.inputFrom("x".getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            Path out = pb.outputTo(sink);
            pb.command("sh", "-c", "echo hi > \"$2\"", "sh", in.toString(), out.toString());
            try (FifoProcess p = pb.start()) {
                p.waitFor();
                System.out.println("unopened=" + p.results().get(0).outcome());
                System.out.println("written=" + p.results().get(1).outcome() + " "
                        + sink.toString(StandardCharsets.UTF_8).trim());
            }
        }

        // ended while waiting for the program to open: close() closes the FIFO under the wait
        try (FifoProcessBuilder pb = new FifoProcessBuilder().fifoBuilder(fifos)) {
            pb.inputFrom("x".getBytes(StandardCharsets.UTF_8));
            pb.command("sleep", "60");
            FifoProcess p = pb.start();
            p.close();
            System.out.println("ended=" + p.results().get(0).outcome());
        }

        // a TempFifo closed while an open waits
        try (TempFifo fifo = fifos.create()) {
            CompletableFuture<String> open = CompletableFuture.supplyAsync(() -> {
                try {
                    fifo.openInputStream(Duration.ofMinutes(1)).close();
                    return "opened";
                } catch (IOException e) {
                    return e.getClass().getSimpleName() + " " + (e instanceof java.nio.file.FileSystemException);
                }
            });
            TimeUnit.MILLISECONDS.sleep(200); // let the open start waiting (if not, it fails the same way)
            fifo.close();
            System.out.println("closed=" + open.get(1, TimeUnit.MINUTES));
        }

        // an immutable base (EPERM, which Java on its own reports only as text): AccessDeniedException
        if (args.length > 1) {
            try {
                TempFifo.builder().directory(Path.of(args[1])).create().close();
                System.out.println("eperm=created");
            } catch (IOException e) {
                System.out.println("eperm=" + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
        System.out.println("files=" + Files.list(base).count());
    }
}
