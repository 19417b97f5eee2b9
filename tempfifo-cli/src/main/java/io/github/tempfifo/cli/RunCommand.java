package io.github.tempfifo.cli;

import io.github.tempfifo.FifoProcess;
import io.github.tempfifo.FifoProcessBuilder;
import io.github.tempfifo.SubstitutionResult;
import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessMode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tempfifo run}: process substitution, {@code <(CMD)} and {@code >(CMD)}, for any shell.
 *
 * <p>Its arguments are parsed by {@link RunParser} alone; the picocli model declared here
 * describes them for {@code --help}, {@code tempfifo help run}, the man page and shell
 * completion (building that model costs more than a short run).
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, sortSynopsis = false, showEndOfOptionsDelimiterInUsageHelp = true,
        description = {
            "Run PROGRAM with FIFOs in place of {N} in its arguments, each fed by or feeding a shell "
                    + "command CMD, like <(CMD) and >(CMD) in bash.",
            "",
            "Each --in and --out makes one FIFO. They are numbered from 1, in command-line order: "
                    + "{1} is the first --in or --out, {2} the second... {} means {1}. {N} anywhere in "
                    + "an argument is replaced by that FIFO's path; every FIFO must be named so. "
                    + "CMD runs with /bin/sh -c.",
            "",
            "Exit status: PROGRAM's; 1 if PROGRAM exited 0 but a CMD failed (named on stderr); "
                    + "127 if PROGRAM is not found, 126 if it can't be executed; 2 for a usage error; "
                    + "130/143 on SIGINT/SIGTERM, after ending PROGRAM and every CMD and removing the FIFOs.",
            ""
        },
        footer = {"", "Examples:",
            "  tempfifo run --in 'sort a.txt' --in 'sort b.txt' -- diff {1} {2}",
            "  tempfifo run --in 'head -c 1G /dev/zero' -- wc -c {}",
            "  tempfifo run --out 'gzip > log.gz' -- my-server --log-file={1}",
            "  tempfifo run --share-with postgres --in 'seq 1 100' -- \\",
            "      psql -c \"COPY t FROM '{}'\""})
final class RunCommand {
    /** The start of every error line of {@code run}. */
    static final String ERROR = Main.errorPrefix("tempfifo run");

    private static final int SIGHUP = 1;
    private static final int SIGINT = 2;
    private static final int SIGPIPE = 13;
    private static final int SIGTERM = 15;

    /** One {@code --in} ({@code input}) or {@code --out}, with its shell command. */
    record Substitution(boolean input, String command) {
        String option() {
            return input ? "--in" : "--out";
        }
    }

    // For the help text, man page and completion only (see the class description).
    @Option(names = "--in", paramLabel = "CMD",
            description = "CMD's standard output feeds a FIFO that PROGRAM reads (like <(CMD)). Repeatable.")
    List<String> in;

    @Option(names = "--out", paramLabel = "CMD",
            description = "PROGRAM writes a FIFO that CMD reads on its standard input (like >(CMD)); "
                    + "tempfifo waits for CMD to finish. Repeatable.")
    List<String> out;

    @Mixin
    FifoOptions fifo = new FifoOptions();

    @Mixin
    ShareOptions share = new ShareOptions();

    @Parameters(paramLabel = "PROGRAM [ARG]", arity = "1..*",
            description = "The program to run and its arguments, in which {N} stands for FIFO N.")
    List<String> program = new ArrayList<>();

    final List<Substitution> substitutions = new ArrayList<>();

    private volatile boolean shuttingDown;

    /**
     * Checks what the parser can't: every {N} names a FIFO, every FIFO is named, the prefix, the
     * users and groups to share with.
     *
     * @throws UsageException saying what is wrong
     */
    void check() {
        Placeholders.check(program, substitutions);
        fifo.builder();
        String wrong = share.problem();
        if (wrong != null) {
            throw new UsageException(wrong);
        }
    }

    /**
     * Runs PROGRAM with its substitutions; {@link #check()} has passed.
     *
     * @return the exit status
     */
    int execute(PrintWriter err) throws IOException, InterruptedException {
        Program.Problem problem = Program.problem(program.get(0));
        if (problem != null) {
            err.println(ERROR + program.get(0) + ": " + problem.message);
            return problem.status;
        }
        FifoProcessBuilder pb = new FifoProcessBuilder();
        // SIGTERM/SIGINT: end PROGRAM and every CMD, remove the FIFOs; the JVM then exits 143/130.
        Thread hook = new Thread(() -> {
            shuttingDown = true;
            closeQuietly(pb);
        }, "tempfifo-run-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<String> paths = new ArrayList<>(substitutions.size());
            try {
                for (Substitution s : substitutions) {
                    ProcessBuilder command = new ProcessBuilder("/bin/sh", "-c", s.command()).inheritIO();
                    pb.fifoBuilder(fifoBuilder(s.input()));
                    paths.add((s.input() ? pb.inputFrom(command) : pb.outputTo(command)).toString());
                }
            } catch (IOException e) {
                err.println(ERROR + fifo.directory.explain(e));
                return 1;
            }
            pb.command(Placeholders.replace(program, paths)).inheritIO();
            FifoProcess process;
            try {
                process = pb.start();
            } catch (IOException e) {
                // Found and executable a moment ago (Program): a race, or what exec(2) alone knows.
                err.println(ERROR + program.get(0) + ": " + BaseDirectoryOption.message(e));
                return Program.CANNOT_EXECUTE;
            }
            int status = process.waitFor();
            boolean failed = false;
            for (SubstitutionResult r : process.results()) {
                if (r.failed() && !endedWithUs(r, status)) {
                    failed = true;
                    Substitution s = substitutions.get(r.index() - 1);
                    err.println(ERROR + s.option() + " '" + s.command() + "' ({" + r.index() + "}) failed: " + describe(r));
                }
            }
            err.flush();
            return status == 0 && failed ? 1 : status;
        } finally {
            pb.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running or has run
            }
        }
    }

    /** How the FIFO of an {@code --in} ({@code input}) or {@code --out} is made: shared for PROGRAM to read, or to write. */
    private TempFifo.Builder fifoBuilder(boolean input) {
        TempFifo.Builder fifos = fifo.builder();
        return share.isEmpty() ? fifos : share.applyTo(fifos, input ? AccessMode.READ : AccessMode.WRITE);
    }

    /**
     * Tells whether a CMD was killed by the signal that ends tempfifo itself: by our exit hook,
     * or with PROGRAM and us by a terminal's Ctrl-C (sent to the whole process group). Not a
     * failure to report: the exit status says it.
     */
    private boolean endedWithUs(SubstitutionResult r, int programStatus) {
        if (r.exitStatus().isEmpty()) {
            return false;
        }
        int status = r.exitStatus().getAsInt();
        int signal = killedBy(status);
        if (signal != SIGINT && signal != SIGTERM && signal != SIGHUP) {
            return false;
        }
        return status == programStatus || shuttingDown || Main.shutdownInProgress();
    }

    /** A death by SIGPIPE (its reader was gone) gets no "killed by signal": a shell does not announce it either. */
    private static String describe(SubstitutionResult r) {
        if (r.exitStatus().isPresent()) {
            int status = r.exitStatus().getAsInt();
            int signal = killedBy(status);
            return signal != 0 && signal != SIGPIPE ? "killed by signal " + signal + " (exit status " + status + ")"
                    : "exit status " + status;
        }
        return r.exception().map(BaseDirectoryOption::message).orElse(r.outcome().toString());
    }

    /** @return the signal that ended a command with this exit status (128 + N, as the JDK and a shell report it), or 0 */
    private static int killedBy(int status) {
        return status > 128 ? status - 128 : 0;
    }

    private static void closeQuietly(FifoProcessBuilder pb) {
        try {
            pb.close();
        } catch (IOException | RuntimeException e) {
            System.err.println(ERROR + e.getMessage());
        }
    }
}
