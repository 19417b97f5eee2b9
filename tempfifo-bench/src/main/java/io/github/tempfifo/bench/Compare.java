package io.github.tempfifo.bench;

import io.github.tempfifo.FifoProcess;
import io.github.tempfifo.FifoProcessBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The Java side of {@code bench/compare.sh}: one measurement per run, printed as one number on
 * stdout (nanoseconds per FIFO, or bytes per second). Each run warms up before it measures; the
 * script alternates competitors and rounds. Not a JMH benchmark: it measures what a program
 * sees (a cold-ish JVM loop, separate processes), the way the C and Python competitors run.
 * The measurements are in {@link CreateTimings} and {@link StreamTimings}, timed by {@link Timing}.
 *
 * <pre>
 * create DIR N                 TempFifo create+close, N times in 5 batches after a warm-up
 *                              (-Dbench.warmupMillis, 2000): the median batch's ns per FIFO
 * burst DIR N                  N creates held open at once, then N closes (repeated up to 20,000
 *                              FIFOs): median ns per FIFO (create+close)
 * batch DIR N                  Builder.create(N) then N closes: ns per FIFO
 * scale DIR N                  as burst, printing "createNs closeNs heapBytesPerOpenFifo"
 * pbmkfifo DIR N               Files.createTempDirectory + ProcessBuilder("mkfifo") + delete: ns per FIFO
 * pipe DIR BYTES CHUNK CAP CPUW CPUR
 *                              writer thread -> TempFifo -> reader thread, streams, CHUNK-byte
 *                              writes; CAP&gt;0: pipeCapacity(CAP); CPU -1 = not pinned: bytes/s
 * plainpipe DIR BYTES CHUNK CPUW CPUR
 *                              the same with a plain FileOutputStream/FileInputStream on a FIFO
 *                              made by ProcessBuilder("mkfifo"): bytes/s
 * jvmpipe DIR BYTES CHUNK CAP CPUW CPUR
 *                              as pipe, but the reader is a second JVM (the same java) reading the
 *                              path with a FileInputStream: bytes/s, until the reader has it all
 * drainpath FIFO CHUNK CPU     (that reader) reads FIFO to its end, prints the byte count
 * spawn - N                    ProcessBuilder("cat", "/dev/null"), start and wait: ns per run
 * psub bytes|command N         FifoProcessBuilder: cat FIFO, the FIFO fed by Java bytes or by
 *                              ProcessBuilder("echo", "hi"): ns per run
 * feed DIR FILE DRAIN CPUW CPUR
 *                              TempFifo.transferFrom(FILE) into a reader process DRAIN (fifobench): bytes/s
 * feedstream DIR FILE DRAIN CPUW CPUR
 *                              the same with Files.newInputStream(FILE).transferTo(openOutputStream): bytes/s
 * pairs DIR N BYTES virtual|platform
 *                              N FIFOs at once, each with a writer thread (streams, 64 KiB writes,
 *                              BYTES each) and a reader thread, writers submitted first, on virtual
 *                              threads (JDK 21+) or platform threads: total bytes/s
 * </pre>
 */
public final class Compare {
    private Compare() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            usage();
        }
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "create" -> print(CreateTimings.create(dir, Integer.parseInt(args[2])));
            case "burst" -> print(CreateTimings.burst(dir, Integer.parseInt(args[2]), false)[0]);
            case "batch" -> print(CreateTimings.batch(dir, Integer.parseInt(args[2])));
            case "scale" -> {
                double[] r = CreateTimings.burst(dir, Integer.parseInt(args[2]), true);
                System.out.printf("%.1f %.1f %.0f%n", r[1], r[2], r[3]);
            }
            case "pbmkfifo" -> print(CreateTimings.processBuilderMkfifo(dir, Integer.parseInt(args[2])));
            case "pipe" -> print(StreamTimings.pipe(dir, Long.parseLong(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]), false));
            case "plainpipe" -> print(StreamTimings.pipe(dir, Long.parseLong(args[2]), Integer.parseInt(args[3]), 0,
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), true));
            case "jvmpipe" -> print(StreamTimings.jvmPipe(dir, Long.parseLong(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6])));
            case "drainpath" -> // DIR is the FIFO's path here
                    System.out.println(StreamTimings.drainPath(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3])));
            case "spawn" -> print(Timing.medianAfterWarmup(Integer.parseInt(args[2]), () -> {
                Process p = new ProcessBuilder("cat", "/dev/null").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.waitFor();
            }));
            case "psub" -> print(Timing.medianAfterWarmup(Integer.parseInt(args[2]), () -> {
                try (FifoProcessBuilder pb = new FifoProcessBuilder()) {
                    Path in = args[1].equals("bytes") ? pb.inputFrom("hi\n".getBytes(StandardCharsets.UTF_8))
                            : pb.inputFrom(new ProcessBuilder("echo", "hi"));
                    pb.command("cat", in.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                    try (FifoProcess p = pb.start()) {
                        p.waitFor();
                    }
                }
            }));
            case "feed", "feedstream" -> print(StreamTimings.feed(dir, Path.of(args[2]), args[3], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), args[0].equals("feedstream")));
            case "pairs" -> print(StreamTimings.pairs(dir, Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    args[4].equals("virtual")));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: see the Javadoc of " + Compare.class.getName());
        System.exit(2);
    }

    private static void print(double value) {
        System.out.printf("%.1f%n", value);
    }
}
