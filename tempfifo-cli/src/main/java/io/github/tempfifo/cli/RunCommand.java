package io.github.tempfifo.cli;

import io.github.tempfifo.FifoProcess;
import io.github.tempfifo.FifoProcessBuilder;
import io.github.tempfifo.SubstitutionResult;
import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code tempfifo run}: process substitution, {@code <(CMD)} and {@code >(CMD)}, for any shell. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        usageHelpWidth = 100,
        description = {
            "Run PROGRAM with FIFOs in place of {N} in its arguments, fed by or feeding shell commands, "
                    + "like <(CMD) and >(CMD) in bash.",
            "Each --in and --out makes one FIFO, numbered 1, 2, ... in command-line order. {N} anywhere "
                    + "in an argument is replaced by the Nth FIFO's path ({} means {1}). CMD runs with /bin/sh -c.",
            "Exit status: PROGRAM's; 1 if PROGRAM exited 0 but a CMD failed (named on stderr); "
                    + "127/126 if PROGRAM can't be run; 2 for a usage error; 130/143 on SIGINT/SIGTERM, "
                    + "after ending PROGRAM and every CMD and removing the FIFOs."
        },
        footer = {"", "Examples:",
            "  tempfifo run --in 'sort a.txt' --in 'sort b.txt' -- diff {1} {2}",
            "  tempfifo run --in 'head -c 1G /dev/zero' -- wc -c {}",
            "  tempfifo run --out 'gzip > log.gz' -- my-server --log-file={1}",
            "  tempfifo run --share-with postgres --in 'seq 1 100' -- psql -c \"COPY t FROM '{}'\""})
final class RunCommand implements Callable<Integer> {
    private static final int SIGPIPE_STATUS = 128 + 13;
    private static final Pattern EXEC_ERROR = Pattern.compile("error[=:] ?(\\d+),? \\(?([^)]+)\\)?");

    @Spec
    CommandSpec spec;

    private volatile boolean shuttingDown;
    private final List<Boolean> inputs = new ArrayList<>();
    private final List<String> commands = new ArrayList<>();

    @Option(names = "--in", paramLabel = "CMD",
            description = "CMD's standard output feeds a FIFO that PROGRAM reads (like <(CMD)).")
    void in(String command) {
        add(true, command);
    }

    @Option(names = "--out", paramLabel = "CMD",
            description = "PROGRAM writes a FIFO that CMD reads on its standard input (like >(CMD)). "
                    + "tempfifo waits for CMD to finish.")
    void out(String command) {
        add(false, command);
    }

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Base directory for the FIFOs' private directories (default: $TMPDIR, else the library's default).")
    Path dir;

    @Option(names = "--prefix", paramLabel = "P", description = "Start of the private directories' names (default: tempfifo-).")
    String prefix;

    @Mixin
    ShareOptions share = new ShareOptions();

    @Parameters(arity = "1..*", paramLabel = "PROGRAM [ARG]...", description = "The program to run and its arguments.")
    List<String> program;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String wrong = problem();
        if (wrong != null) {
            throw new ParameterException(spec.commandLine(), wrong);
        }
        return execute(spec.commandLine().getErr());
    }

    /** Adds a substitution, as {@code --in} ({@code input}) or {@code --out} does. */
    void add(boolean input, String command) {
        inputs.add(input);
        commands.add(command);
    }

    /** @return what makes the parsed arguments unusable (a usage error), or null */
    String problem() {
        String wrong = Placeholders.check(program, commands.size());
        if (wrong == null && prefix != null) {
            try {
                TempFifo.builder().prefix(prefix);
            } catch (IllegalArgumentException e) {
                wrong = "--prefix: " + e.getMessage();
            }
        }
        if (wrong == null) {
            wrong = share.problem();
        }
        return wrong;
    }

    /** Runs PROGRAM with its substitutions; the arguments have passed {@link #problem()}. */
    int execute(PrintWriter err) throws IOException, InterruptedException {
        FifoProcessBuilder pb = new FifoProcessBuilder();
        // SIGTERM/SIGINT: end PROGRAM and every CMD, remove the FIFOs; the JVM then exits 143/130.
        Thread hook = new Thread(() -> {
            shuttingDown = true;
            closeQuietly(pb);
        }, "tempfifo-run-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<String> paths = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                ProcessBuilder command = new ProcessBuilder("/bin/sh", "-c", commands.get(i)).inheritIO();
                pb.fifoBuilder(fifoBuilder(inputs.get(i)));
                paths.add((inputs.get(i) ? pb.inputFrom(command) : pb.outputTo(command)).toString());
            }
            pb.command(Placeholders.replace(program, paths)).inheritIO();
            FifoProcess process;
            try {
                process = pb.start();
            } catch (IOException e) {
                // "Cannot run program "x": error=2, No such file or directory" (JDK 17), or
                // "…: Exec failed, error: 2 (No such file or directory)" (JDK 22+)
                Matcher m = EXEC_ERROR.matcher(String.valueOf(e.getMessage()));
                boolean found = m.find();
                err.println("tempfifo: " + program.get(0) + ": " + (found ? m.group(2) : reason(e)));
                return found && m.group(1).equals("2") ? 127 : 126; // as shells: not found, or can't execute
            }
            int status = process.waitFor();
            boolean failed = false;
            for (SubstitutionResult r : shuttingDown ? List.<SubstitutionResult>of() : process.results()) {
                if (r.failed()) {
                    failed = true;
                    err.println("tempfifo: " + (inputs.get(r.index() - 1) ? "--in" : "--out") + " '" + commands.get(r.index() - 1)
                            + "' ({" + r.index() + "}) failed: " + describe(r));
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
        TempFifo.Builder fifos = TempFifo.builder();
        Path base = BaseDirectory.choose(dir);
        if (base != null) {
            fifos.directory(base);
        }
        if (prefix != null) {
            fifos.prefix(prefix);
        }
        return share.isEmpty() ? fifos : share.applyTo(fifos, input ? AccessMode.READ : AccessMode.WRITE);
    }

    private static String describe(SubstitutionResult r) {
        if (r.exitStatus().isPresent()) {
            int status = r.exitStatus().getAsInt();
            return status > 128 && status != SIGPIPE_STATUS ? "killed by signal " + (status - 128) + " (exit status " + status + ")"
                    : "exit status " + status;
        }
        return r.exception().map(RunCommand::reason).orElse(r.outcome().toString());
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        return message != null ? message : e.toString();
    }

    private static void closeQuietly(FifoProcessBuilder pb) {
        try {
            pb.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("tempfifo: " + e.getMessage());
        }
    }
}
