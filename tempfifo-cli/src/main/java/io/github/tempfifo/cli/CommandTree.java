package io.github.tempfifo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            cmd.getErr().println(Main.errorPrefix(cmd.getCommandSpec().qualifiedName()) + BaseDirectoryOption.message(e));
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
        // footer() is interpolated ("$$" already "$"); setting it interpolates it again: escape "$"
        List<String> footer = new ArrayList<>();
        for (String line : usage.footer()) {
            footer.add(line.replace("$", "$$"));
        }
        footer.addAll(List.of("", DOCUMENTATION));
        usage.footer(footer.toArray(new String[0]));
    }

    private static final Pattern UNKNOWN_SUBCOMMAND = Pattern.compile("Unknown subcommand '(.*)'\\.");

    private static String unknownCommand(CommandLine top, String name) {
        return "unknown command '" + name + "' (the commands: " + String.join(", ", top.getSubcommands().keySet()) + ")";
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage().replace('\n', ' ').trim();
        // 'tempfifo help frob' (picocli's HelpCommand: "Unknown subcommand 'frob'.") as 'tempfifo frob'
        Matcher unknownHelp = UNKNOWN_SUBCOMMAND.matcher(message);
        if (e instanceof UnmatchedArgumentException unmatched && cmd.getCommandSpec().parent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            message = unknownCommand(cmd, unmatched.getUnmatched().get(0));
        } else if (cmd.getCommandSpec().parent() == null && unknownHelp.matches()) {
            message = unknownCommand(cmd, unknownHelp.group(1));
        } else if (message.length() > 1 && Character.isUpperCase(message.charAt(0)) && Character.isLowerCase(message.charAt(1))) {
            // picocli's "Unknown option: '--bogus'", "Missing required parameter…": lower case as ours
            message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        return Main.usageError(cmd.getErr(), cmd.getCommandSpec().qualifiedName(), message);
    }
}
