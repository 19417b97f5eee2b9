package io.github.tempfifo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * picocli's model of the whole {@code tempfifo} command ({@link Main} and its subcommands),
 * configured as {@code tempfifo} runs it. Apart from {@link Main}, so that {@code --version} and
 * {@code run}, which never need the model, never load picocli's classes either.
 */
public final class CommandTree {
    /** The last line of every command's help. */
    static final String DOCUMENTATION = "Documentation: man tempfifo";

    private CommandTree() {
    }

    /**
     * The whole command tree, configured as {@code tempfifo} runs it: for picocli's
     * {@code AutoComplete} and {@code ManPageGenerator}, and for every command but {@code run}.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        addDocumentation(cl);
        cl.setParameterExceptionHandler(CommandTree::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException) {
                return Main.usageError(cmd.getErr(), cmd.getCommandSpec().qualifiedName(), e.getMessage());
            }
            cmd.getErr().println("tempfifo: " + BaseDirectoryOption.message(e));
            return 1;
        });
        return cl;
    }

    /** Prints a subcommand's help on standard output. */
    static void printHelp(String command) {
        commandLine().getSubcommands().get(command).usage(System.out);
    }

    /** Ends every command's help with where the documentation is (the man page repeats none of it). */
    private static void addDocumentation(CommandLine cl) {
        for (CommandLine command : cl.getSubcommands().values()) {
            addDocumentation(command);
        }
        UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        List<String> footer = new ArrayList<>(Arrays.asList(usage.footer()));
        footer.addAll(List.of("", DOCUMENTATION));
        usage.footer(footer.toArray(new String[0]));
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage().replace('\n', ' ').trim();
        if (e instanceof UnmatchedArgumentException && cmd.getCommandSpec().parent() == null
                && !((UnmatchedArgumentException) e).getUnmatched().isEmpty()
                && !((UnmatchedArgumentException) e).getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + ((UnmatchedArgumentException) e).getUnmatched().get(0)
                    + "' (the commands: " + String.join(", ", cmd.getSubcommands().keySet()) + ")";
        }
        return Main.usageError(cmd.getErr(), cmd.getCommandSpec().qualifiedName(), message);
    }
}
