package io.github.tempfifo.cli;

import io.github.tempfifo.TempFifo;

import java.nio.file.Path;

/** The CLI's base directory: {@code --dir}, else {@code $TMPDIR} (the shell convention), else the library's default. */
final class BaseDirectory {
    private BaseDirectory() {
    }

    /** @return the base directory, or null for the library's default */
    static Path choose(Path dir) {
        if (dir != null) {
            return dir;
        }
        String tmpdir = System.getenv("TMPDIR");
        return tmpdir != null && !tmpdir.isEmpty() ? Path.of(tmpdir) : null;
    }

    /** @return the base directory, the library's default resolved */
    static Path resolve(Path dir) {
        Path chosen = choose(dir);
        return chosen != null ? chosen : TempFifo.defaultDirectory();
    }
}
