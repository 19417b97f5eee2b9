package io.github.tempfifo.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The parser of {@code tempfifo run}'s arguments, the only one: {@code [OPTION]... [--] PROGRAM
 * [ARG]...}, where an option's value is the next argument or follows {@code =}
 * ({@code --in CMD}, {@code --in=CMD}), as {@code getopt_long} reads them, and everything from
 * PROGRAM on is PROGRAM's. picocli's model of {@code run} ({@link RunCommand}) documents the same
 * options (a test checks that both name the same ones); it is not built for a run, whose whole
 * cost would be less than building it.
 */
final class RunParser {
    /** What the command line asks for. */
    enum Request { RUN, HELP, VERSION }

    /** Every option this parser knows, as picocli's model of {@code run} must name them. */
    static final List<String> OPTIONS = List.of("--in", "--out", "--dir", "--prefix", "--share-with", "--share-with-group",
            "-h", "--help", "-V", "--version");

    /** What each option of {@link #OPTIONS} takes, as the help text names it. */
    private static final List<String> VALUE_LABELS = List.of("CMD", "CMD", "DIR", "P", "USER", "GROUP", "", "", "", "");

    private RunParser() {
    }

    /**
     * Parses {@code args} (those after {@code run}) into {@code run}, and checks them.
     *
     * @return what to do; for {@link Request#RUN}, {@code run} is complete and checked
     * @throws UsageException if the arguments are not a valid {@code run} command line
     */
    static Request parse(List<String> args, RunCommand run) {
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                break; // PROGRAM: everything from here is its
            }
            switch (arg) {
                case "-h": case "--help": return Request.HELP;
                case "-V": case "--version": return Request.VERSION;
                default: break;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (!OPTIONS.contains(name)) {
                throw new UsageException("unknown option: '" + arg + "'");
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
                i++;
            } else if (i + 1 < args.size()) {
                value = args.get(i + 1);
                i += 2;
            } else {
                throw new UsageException(name + ": missing " + VALUE_LABELS.get(OPTIONS.indexOf(name)));
            }
            if ((name.equals("--in") || name.equals("--out")) && value.isBlank()) {
                // sh -c '' succeeds at once: the FIFO would never be opened by it
                throw new UsageException(name + ": missing CMD (the shell command is empty)");
            }
            switch (name) {
                case "--in": run.substitutions.add(new RunCommand.Substitution(true, value)); break;
                case "--out": run.substitutions.add(new RunCommand.Substitution(false, value)); break;
                case "--dir": run.fifo.directory.dir = path(value); break;
                case "--prefix": run.fifo.prefix = value; break;
                case "--share-with": run.share.users.add(value); break;
                case "--share-with-group": run.share.groups.add(value); break;
                default: throw new UsageException("unknown option: '" + arg + "'"); // -h=x, --help=x
            }
        }
        if (i >= args.size()) {
            throw new UsageException("missing PROGRAM [ARG]...: the program to run, after the options (or after --)");
        }
        run.program.addAll(args.subList(i, args.size()));
        run.check();
        return Request.RUN;
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("--dir: '" + value + "' is not a path: " + e.getReason());
        }
    }
}
