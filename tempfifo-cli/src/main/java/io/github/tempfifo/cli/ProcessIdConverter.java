package io.github.tempfifo.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A running process, given by its pid ({@code $$} in a script). */
final class ProcessIdConverter implements ITypeConverter<ProcessHandle> {
    @Override
    public ProcessHandle convert(String value) {
        long pid;
        try {
            pid = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a process id (a whole number, such as $$ in a script)");
        }
        return ProcessHandle.of(pid).orElseThrow(() ->
                new TypeConversionException("no running process has pid " + value));
    }
}
