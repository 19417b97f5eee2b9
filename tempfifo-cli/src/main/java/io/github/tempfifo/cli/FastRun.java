package io.github.tempfifo.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * The common case of {@code tempfifo run}, parsed without building picocli's model (which costs
 * more than the rest of a short run): {@code run [--in CMD|--in=CMD|--out…|--dir…|--prefix…]...
 * [--] PROGRAM [ARG]...}. Anything else (help, version, an unknown or incomplete option, a usage
 * error) is left to picocli, which handles and reports it as usual.
 */
final class FastRun {
    private FastRun() {
    }

    /** @return the parsed and checked command, or null to let picocli parse {@code args} */
    static RunCommand parse(String[] args) {
        if (args.length < 2 || !args[0].equals("run")) {
            return null;
        }
        RunCommand run = new RunCommand();
        int i = 1;
        while (i < args.length) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-")) {
                break; // PROGRAM: everything from here is its
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
                i++;
            } else {
                if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                    return null; // a missing value, or one picocli might read as an option
                }
                value = args[i + 1];
                i += 2;
            }
            switch (name) {
                case "--in": run.add(true, value); break;
                case "--out": run.add(false, value); break;
                case "--dir":
                    try {
                        run.dir = Path.of(value);
                    } catch (InvalidPathException e) {
                        return null;
                    }
                    break;
                case "--prefix": run.prefix = value; break;
                case "--share-with": run.share.users.add(value); break;
                case "--share-with-group": run.share.groups.add(value); break;
                default: return null;
            }
        }
        if (i >= args.length) {
            return null; // no PROGRAM
        }
        run.program = new ArrayList<>(Arrays.asList(args).subList(i, args.length));
        return run.problem() == null ? run : null;
    }
}
