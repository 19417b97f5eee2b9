package io.github.tempfifo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tempfifo}: process substitution for any shell ({@code run}), safe FIFOs for shell scripts
 * ({@code mk}, {@code rm}) and the stale-FIFO sweep ({@code sweep}).
 *
 * <p>Exit status: the subcommand's; 2 for a usage error, with a one-line reason and a hint to
 * {@code --help}; 1 for any other error.
 *
 * <p>{@link CommandTree#commandLine()} is the whole command tree, for picocli's generators (man
 * page, shell completion) as much as for running. Not here: a method of the main class with
 * picocli in its signature makes the launcher load picocli, even for {@code --version}.
 */
@Command(name = "tempfifo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Secure temporary named pipes (FIFOs): process substitution for any shell, "
                + "safe FIFOs for shell scripts, and cleanup of what crashed processes left.", ""},
        subcommands = {RunCommand.class, MkCommand.class, RmCommand.class, SweepCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'tempfifo help COMMAND' (or 'tempfifo COMMAND --help') for a command's options."})
public final class Main implements Callable<Integer> {
    /** Exit status for a usage error. */
    static final int USAGE = 2;

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
            // Not System.exit: Runtime.exit looks up a System.Logger (to log the call if asked),
            // a cost a short command notices. Nothing is left for shutdown hooks here: every
            // command has closed what it opened (FIFOs made by mk are meant to stay), and a
            // signal still runs them as usual.
            Runtime.getRuntime().halt(status);
        }
        // status 0: return; the JVM exits 0 once no other thread is left (all ours are daemons)
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
            // Linking the FFM backend's downcalls costs more than a short command's whole run
            // (docs/cli.md); the portable backend behaves the same.
            System.setProperty("tempfifo.backend", "portable");
        }
        if (System.getProperty("tempfifo.spareFifos") == null) {
            // A command makes the few FIFOs it needs and exits: FIFOs made ahead for later
            // creates would only be made to be removed (and left behind by a SIGKILL).
            System.setProperty("tempfifo.spareFifos", "false");
        }
        if (args.length > 0 && args[0].equals("run")) {
            return run(Arrays.asList(args).subList(1, args.length));
        }
        return CommandTree.commandLine().execute(args);
    }

    /** {@code tempfifo run}, parsed by {@link RunParser}: no picocli model is built to run it. */
    private static int run(List<String> args) {
        PrintWriter err = new PrintWriter(System.err, true);
        RunCommand run = new RunCommand();
        try {
            switch (RunParser.parse(args, run)) {
                case HELP:
                    CommandTree.printHelp("run");
                    return 0;
                case VERSION:
                    Version.print(new PrintWriter(System.out, true));
                    return 0;
                default:
                    return run.execute(err);
            }
        } catch (UsageException e) {
            return usageError(err, "tempfifo run", e.getMessage());
        } catch (Exception e) {
            err.println(RunCommand.ERROR + BaseDirectoryOption.message(e));
            return 1;
        }
    }

    /**
     * Prints a usage error: {@code tempfifo: [COMMAND: ]message} (as every error line) and a hint
     * to {@code --help}.
     *
     * @param command the command's qualified name, {@code tempfifo} or e.g. {@code tempfifo mk}
     */
    static int usageError(PrintWriter err, String command, String message) {
        err.println(errorPrefix(command) + message);
        err.println("Try '" + command + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    /**
     * The start of every error line: {@code "tempfifo: "}, and the subcommand's name, as in
     * {@code "tempfifo: mk: "}.
     *
     * @param command the command's qualified name, {@code tempfifo} or e.g. {@code tempfifo mk}
     */
    static String errorPrefix(String command) {
        int space = command.indexOf(' ');
        return "tempfifo: " + (space < 0 ? "" : command.substring(space + 1) + ": ");
    }

    /** @return true if the JVM has begun to exit (e.g. on a signal) */
    static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    @Override
    public Integer call() {
        throw new UsageException("missing command (run, mk, rm, sweep or help)");
    }
}
