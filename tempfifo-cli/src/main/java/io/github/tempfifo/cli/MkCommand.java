package io.github.tempfifo.cli;

import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.AccessMode;

/** {@code tempfifo mk}: the safe replacement for {@code mkfifo "$(mktemp -u)"}. */
@Command(name = "mk", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {
            "Create a FIFO (mode 0600) in a new private directory (mode 0700, unpredictable name) and print its path.",
            "",
            "With --share-with USER or --share-with-group GROUP, those may open it (reading and writing unless "
                    + "--share-access narrows it) and search, never list, its directory (then mode 0710).",
            "",
            "The FIFO stays until 'tempfifo rm PATH'. With --owner PID, 'tempfifo sweep' removes it once that "
                    + "process has exited; without, once it is older than sweep's --older-than (24h).",
            ""
        },
        footer = {"", "Example:",
            "  fifo=$(tempfifo mk --owner $$$$) || exit",
            "  trap 'tempfifo rm \"$fifo\"' EXIT",
            "  producer > \"$fifo\" & consumer < \"$fifo\""})
final class MkCommand extends Subcommand {
    @Mixin
    FifoOptions fifo = new FifoOptions();

    @Option(names = "--owner", paramLabel = "PID", converter = ProcessIdConverter.class,
            description = "Record this running process (pid and start time) as the owner, e.g. $$$$ in a script.")
    ProcessHandle owner;

    @Mixin
    ShareOptions share = new ShareOptions();

    /** What the users and groups of --share-with and --share-with-group may do. */
    enum ShareAccess {
        read(AccessMode.READ), write(AccessMode.WRITE), both(AccessMode.READ, AccessMode.WRITE);

        final AccessMode[] modes;

        ShareAccess(AccessMode... modes) {
            this.modes = modes;
        }
    }

    @Option(names = "--share-access", paramLabel = "ACCESS",
            description = "With --share-with/--share-with-group: what they may do with the FIFO: read (they read what you "
                    + "write), write (you read what they write) or both (default: ${DEFAULT-VALUE}).")
    ShareAccess shareAccess = ShareAccess.both;

    @Override
    public Integer call() {
        TempFifo.Builder builder = fifo.builder().deleteOnExit(false);
        if (owner == null) {
            builder.unowned(); // swept by age only: no process says how long it is needed
        } else {
            try {
                builder.owner(owner);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--owner: " + e.getMessage());
            }
        }
        String wrong = share.problem();
        if (wrong != null) {
            throw new ParameterException(spec.commandLine(), wrong);
        }
        if (share.isEmpty() && spec.commandLine().getParseResult().hasMatchedOption("--share-access")) {
            throw new ParameterException(spec.commandLine(),
                    "--share-access needs --share-with USER or --share-with-group GROUP (whom to share with)");
        }
        share.applyTo(builder, shareAccess.modes);
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
