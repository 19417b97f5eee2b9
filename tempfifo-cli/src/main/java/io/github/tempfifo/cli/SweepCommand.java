package io.github.tempfifo.cli;

import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code tempfifo sweep}: removes what crashed processes left behind. */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {
            "Remove the tempfifo private directories (and their FIFOs) in the base directory whose owner "
                    + "process is gone, and those without an owner ('tempfifo mk' without --owner) older than "
                    + "--older-than. Prints each directory removed, one per line.",
            "",
            "Never touches anything else: a directory must have the name, owner (you), mode (0700, or 0710 "
                    + "if shared with --share-with/--share-with-group) and "
                    + "contents (FIFOs only) of one of ours; never follows a symbolic link; never removes "
                    + "the directory of a running owner. Safe to run at any time, e.g. hourly from cron.",
            ""
        },
        footer = {"", "Example (crontab -e):", "  17 * * * *  /path/to/tempfifo/bin/tempfifo sweep --dir /tmp"})
final class SweepCommand extends Subcommand {
    @Mixin
    BaseDirectoryOption directory = new BaseDirectoryOption();

    @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Age from which directories without an owner are removed: 30m, 24h, 7d, 1h30m, PT24H... (default: 24h).")
    Duration olderThan = Duration.ofHours(24);

    @Option(names = "--dry-run", description = "Print what would be removed; remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Path base = directory.base();
        List<Path> stale;
        try {
            stale = dryRun ? TempFifo.findStale(base, olderThan) : TempFifo.sweep(base, olderThan);
        } catch (IOException e) {
            error(directory.explain(e));
            return 1;
        }
        PrintWriter out = out();
        for (Path p : stale) {
            out.println(p);
        }
        out.flush();
        return 0;
    }
}
