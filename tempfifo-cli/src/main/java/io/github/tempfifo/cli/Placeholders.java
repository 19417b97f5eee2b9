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
     * Checks that every placeholder names one of {@code count} FIFOs.
     *
     * @return null if all is well, else what is wrong
     */
    static String check(List<String> args, int count) {
        for (String arg : args) {
            Matcher m = PLACEHOLDER.matcher(arg);
            while (m.find()) {
                int n = number(m.group(1));
                if (n < 1 || n > count) {
                    return m.group() + " in '" + arg + "' refers to FIFO " + (n < 0 ? m.group(1) : String.valueOf(n))
                            + ", but " + (count == 0 ? "there is no --in or --out"
                                    : "there " + (count == 1 ? "is 1 FIFO" : "are " + count + " FIFOs") + " (one per --in/--out)");
                }
            }
        }
        return null;
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
