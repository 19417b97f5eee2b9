package io.github.tempfifo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code tempfifo}: process substitution for any shell ({@code run}), safe FIFOs for shell scripts
 * ({@code mk}, {@code rm}) and the stale-FIFO sweep ({@code sweep}).
 *
 * <p>Exit status: the subcommand's; 2 for a usage error, with a one-line reason and a hint to
 * {@code --help}; 1 for any other error.
 */
@Command(name = "tempfifo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Secure temporary named pipes (FIFOs): process substitution for any shell, "
                + "safe FIFOs for shell scripts, and cleanup of what crashed processes left.",
        subcommands = {RunCommand.class, MkCommand.class, RmCommand.class, SweepCommand.class},
        footer = {"", "Run 'tempfifo COMMAND --help' for a command's options.", "Documentation: docs/cli.md"})
public final class Main implements Callable<Integer> {
    /** Exit status for a usage error. */
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        int status = execute(args);
        System.out.flush();
        System.err.flush();
        if (status != 0) {
            if (shutdownInProgress()) {
                // SIGINT/SIGTERM: the JVM is already exiting with 130/143; this blocks until then.
                System.exit(status);
            }
            // Not System.exit: since JDK 17 Runtime.exit looks up a System.Logger (to log the
            // call if asked), which loads ~200 classes, a fifth of a short run. Nothing is left
            // for shutdown hooks here: every command has closed what it opened (FIFOs made by
            // mk are meant to stay), and a signal still runs them as usual.
            Runtime.getRuntime().halt(status);
        }
        // status 0: return; the JVM exits 0 once no other thread is left (all ours are daemons)
    }

    /** @return true if the JVM has begun to exit (e.g. on a signal) */
    private static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @return the exit status
     */
    static int execute(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // The hot path of scripts that check for the tool: no parser model to build.
            Version.print(new PrintWriter(System.out, true));
            return 0;
        }
        if (System.getProperty("tempfifo.backend") == null) {
            // Measured (docs/cli.md): linking the FFM backend costs more than a short command's
            // whole run; the portable backend costs one mkfifo process per FIFO. Same behaviour.
            System.setProperty("tempfifo.backend", "portable");
        }
        RunCommand run = FastRun.parse(args);
        if (run != null) {
            PrintWriter err = new PrintWriter(System.err, true);
            try {
                return run.execute(err);
            } catch (Exception e) {
                err.println("tempfifo: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
                return 1;
            }
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("tempfifo: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        CommandLine runLine = cl.getSubcommands().get("run");
        runLine.setStopAtPositional(true);        // PROGRAM's own options are PROGRAM's
        runLine.setOverwrittenOptionsAllowed(true); // --in and --out repeat: each occurrence calls the setter
        return cl.execute(args);
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("tempfifo: " + e.getMessage().replace('\n', ' ').trim());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return USAGE;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command (run, mk, rm or sweep)");
    }
}
