package io.github.tempfifo.cli;

import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;

/** {@code tempfifo mk}: the safe replacement for {@code mkfifo "$(mktemp -u)"}. */
@Command(name = "mk", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {
            "Create a FIFO (mode 0600) in a new private directory (mode 0700, unpredictable name) and print its path.",
            "",
            "The FIFO stays until 'tempfifo rm PATH'. With --owner PID, 'tempfifo sweep' removes it once that "
                    + "process has exited; without, once it is older than sweep's --older-than (24h).",
            ""
        },
        footer = {"", "Example:",
            "  fifo=$(tempfifo mk --owner $$$$) || exit",
            "  trap 'tempfifo rm \"$fifo\"' EXIT",
            "  producer > \"$fifo\" & consumer < \"$fifo\"",
            "", "Documentation: man tempfifo"})
final class MkCommand extends Subcommand {
    @Mixin
    FifoOptions fifo = new FifoOptions();

    @Option(names = "--owner", paramLabel = "PID", converter = ProcessIdConverter.class,
            description = "Record this running process (pid and start time) as the owner, e.g. $$$$ in a script.")
    ProcessHandle owner;

    @Override
    public Integer call() {
        TempFifo.Builder builder = fifo.builder().deleteOnExit(false);
        if (owner != null) {
            try {
                builder.owner(owner);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--owner: " + e.getMessage());
            }
        }
        TempFifo made;
        try {
            made = builder.create();
        } catch (IOException e) {
            error(fifo.directory.explain(e));
            return 1;
        }
        out().println(made.path());
        out().flush();
        return 0;
    }
}
