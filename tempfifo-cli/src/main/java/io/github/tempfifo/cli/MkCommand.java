package io.github.tempfifo.cli;

import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tempfifo mk}: the safe replacement for {@code mkfifo "$(mktemp -u)"}. */
@Command(name = "mk", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Create a FIFO (mode 0600) in a new private directory (mode 0700, unpredictable name) and print its path.",
            "The FIFO stays until 'tempfifo rm PATH'. With --owner PID, 'tempfifo sweep' removes it once that "
                    + "process has exited; without, once it is older than sweep's --older-than (24h)."
        },
        footer = {"", "Example:",
            "  fifo=$(tempfifo mk --owner $$$$) || exit",
            "  trap 'tempfifo rm \"$fifo\"' EXIT",
            "  producer > \"$fifo\" & consumer < \"$fifo\""})
final class MkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Base directory (default: $TMPDIR, else the library's default).")
    Path dir;

    @Option(names = "--prefix", paramLabel = "P", description = "Start of the private directory's name (default: tempfifo-).")
    String prefix;

    @Option(names = "--owner", paramLabel = "PID",
            description = "Record this running process (pid and start time) as the owner, e.g. $$$$ in a script.")
    Long owner;

    @Override
    public Integer call() throws IOException {
        TempFifo.Builder builder = TempFifo.builder().deleteOnExit(false);
        Path base = BaseDirectory.choose(dir);
        if (base != null) {
            builder.directory(base);
        }
        try {
            if (prefix != null) {
                builder.prefix(prefix);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--prefix: " + e.getMessage());
        }
        if (owner == null) {
            builder.unowned(); // swept by age only: no process says how long it is needed
        } else {
            ProcessHandle process = ProcessHandle.of(owner).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "--owner: no running process has pid " + owner));
            try {
                builder.owner(process);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--owner: " + e.getMessage());
            }
        }
        TempFifo fifo = builder.create();
        spec.commandLine().getOut().println(fifo.path());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
