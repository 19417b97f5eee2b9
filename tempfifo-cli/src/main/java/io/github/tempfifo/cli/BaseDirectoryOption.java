package io.github.tempfifo.cli;

import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * {@code --dir}: the base directory, in which each FIFO gets a private directory of its own. The
 * default is the library's, {@link TempFifo#defaultDirectory()}: one rule for the library and
 * the command line. A picocli mixin, shared by {@code run}, {@code mk} and {@code sweep}.
 */
final class BaseDirectoryOption {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Base directory, in which each FIFO gets a private directory (default: $TMPDIR, "
                    + "else $XDG_RUNTIME_DIR if it is yours and mode 0700, else /tmp).")
    Path dir;

    /** @return {@code --dir}, else the default base directory */
    Path base() {
        return dir != null ? dir : TempFifo.defaultDirectory();
    }

    /**
     * Says why the base directory can't be used, if {@code e} is about it (or one of its
     * ancestors, or an entry made in it); else returns {@code e}'s message.
     *
     * @return e.g. "base directory /x (--dir): does not exist"
     */
    String explain(IOException e) {
        if (!(e instanceof FileSystemException) || ((FileSystemException) e).getFile() == null) {
            return message(e);
        }
        FileSystemException fse = (FileSystemException) e;
        Path base = base().toAbsolutePath().normalize();
        Path file = Path.of(fse.getFile()).toAbsolutePath().normalize();
        boolean isBase = file.equals(base);
        boolean inBase = base.equals(file.getParent());
        if (!isBase && !inBase && !base.startsWith(file)) {
            return message(e);
        }
        String why;
        if (fse instanceof NoSuchFileException) {
            why = "does not exist";
        } else if (fse instanceof NotDirectoryException) {
            why = "is not a directory";
        } else if (fse instanceof AccessDeniedException && fse.getReason() == null) {
            why = inBase ? "no permission to create a directory in it" : "no permission to use it";
        } else {
            why = fse.getReason() != null ? fse.getReason() : message(e);
        }
        return "base directory " + base + " (" + origin() + "): " + (isBase || inBase ? "" : file + ": ") + why;
    }

    /** @return where the base directory was chosen: {@code --dir}, {@code $TMPDIR} or the default */
    private String origin() {
        if (dir != null) {
            return "--dir";
        }
        String tmpdir = System.getenv("TMPDIR");
        return tmpdir != null && !tmpdir.isEmpty() ? "$TMPDIR" : "the default";
    }

    static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
