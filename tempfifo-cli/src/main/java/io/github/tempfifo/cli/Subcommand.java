package io.github.tempfifo.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A command that picocli parses and runs ({@code mk}, {@code rm}, {@code sweep}): its streams. */
abstract class Subcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints {@code tempfifo: COMMAND: message} on standard error. */
    void error(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(Main.errorPrefix(spec.qualifiedName()) + message);
        err.flush();
    }
}
