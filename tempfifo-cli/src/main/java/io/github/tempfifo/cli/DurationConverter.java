package io.github.tempfifo.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them: {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d},
 * {@code 1h30m}, {@code 0}; or ISO-8601 ({@code PT24H}).
 */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        if (value.startsWith("P") || value.startsWith("p")) {
            try {
                Duration d = Duration.parse(value);
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw invalid(value);
        }
        Matcher m = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.lookingAt()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms": total = total.plusMillis(n); break;
                    case "s": total = total.plusSeconds(n); break;
                    case "m": total = total.plus(Duration.ofMinutes(n)); break;
                    case "h": total = total.plus(Duration.ofHours(n)); break;
                    default: total = total.plus(Duration.ofDays(n)); break;
                }
            } catch (ArithmeticException | NumberFormatException e) {
                throw invalid(value);
            }
            end = m.end();
            m.region(end, value.length());
        }
        if (end == 0 || end != value.length()) {
            throw invalid(value);
        }
        return total;
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException("'" + value + "' is not a duration (examples: 30m, 24h, 7d, 1h30m, PT24H)");
    }
}
