package io.github.tempfifo.cli;

import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code tempfifo rm}: removes FIFOs made by tempfifo, and nothing else. */
@Command(name = "rm", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Remove FIFOs made by 'tempfifo mk', each with its private directory.",
            "",
            "Refuses, touching nothing, anything else: a regular file, a directory, a symbolic link (never "
                    + "followed), a FIFO that is not alone in a tempfifo private directory of yours.",
            "",
            "Exit status: 0 if all were removed; 1 if any was refused or missing (the others are still removed).",
            ""
        })
final class RmCommand extends Subcommand {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "FIFOs printed by 'tempfifo mk'.")
    List<Path> paths;

    @Override
    public Integer call() {
        int status = 0;
        for (Path path : paths) {
            try {
                TempFifo.delete(path);
            } catch (NoSuchFileException e) {
                error(path + ": no such file");
                status = 1;
            } catch (FileSystemException e) {
                error(path + ": " + (e.getReason() != null ? e.getReason() : e.getMessage()) + "; refused, nothing removed");
                status = 1;
            } catch (IOException e) {
                error(path + ": " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }
}
