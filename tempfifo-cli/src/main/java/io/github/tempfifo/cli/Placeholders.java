package io.github.tempfifo.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {N}} anywhere in an argument stands for the Nth FIFO's path, {@code {}} for the first;
 * any other brace is left as it is ({@code awk '{print $1}'} is untouched).
 */
final class Placeholders {
    /** {@code {N}} or {@code {}}, but not the shell's {@code ${N}}, so that {@code sh -c '… ${1} …'} keeps working. */
    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\$)\\{(\\d*)\\}");

    private Placeholders() {
    }

    /**
     * Checks that every placeholder names one of the FIFOs and that every FIFO is named: a FIFO
     * that PROGRAM can't know of would only make the command line silently do nothing.
     *
     * @throws UsageException saying which, and how to name it
     */
    static void check(List<String> args, List<RunCommand.Substitution> fifos) {
        int count = fifos.size();
        boolean[] named = new boolean[count];
        for (String arg : args) {
            Matcher m = PLACEHOLDER.matcher(arg);
            while (m.find()) {
                int n = number(m.group(1));
                if (n == 0) {
                    throw new UsageException(m.group() + " in '" + arg + "': FIFOs are numbered from 1 ({1} is the first --in or --out)");
                }
                if (n < 1 || n > count) {
                    throw new UsageException(m.group() + " in '" + arg + "' refers to FIFO " + (n < 0 ? m.group(1) : String.valueOf(n))
                            + ", but " + (count == 0 ? "there is no --in or --out"
                                    : "there " + (count == 1 ? "is 1 FIFO" : "are " + count + " FIFOs") + " (one per --in/--out)"));
                }
                named[n - 1] = true;
            }
        }
        for (int i = 0; i < count; i++) {
            if (!named[i]) {
                RunCommand.Substitution s = fifos.get(i);
                throw new UsageException(s.option() + " '" + s.command() + "' makes FIFO " + (i + 1)
                        + ", which PROGRAM's arguments never name: put {" + (i + 1) + "} where PROGRAM expects its path"
                        + (i == 0 ? " ({} also means {1})" : ""));
            }
        }
    }

    /** Replaces the placeholders; {@link #check} first. */
    static List<String> replace(List<String> args, List<String> paths) {
        List<String> out = new ArrayList<>(args.size());
        for (String arg : args) {
            Matcher m = PLACEHOLDER.matcher(arg);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(paths.get(number(m.group(1)) - 1)));
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return out;
    }

    /** @return the number, 1 for "", -1 if too large */
    private static int number(String digits) {
        if (digits.isEmpty()) {
            return 1;
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
