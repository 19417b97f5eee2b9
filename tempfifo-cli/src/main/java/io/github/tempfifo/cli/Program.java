package io.github.tempfifo.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Finds PROGRAM as {@code execvp(3)} does (a name with a slash as it is, else the first match on
 * {@code $PATH}), to say why it can't run as a shell does, from file types and permissions
 * rather than from the text of the JDK's exception.
 */
final class Program {
    /** Exit status when PROGRAM can't be executed for a reason only {@code exec(2)} finds. */
    static final int CANNOT_EXECUTE = 126;

    /** Why PROGRAM can't run, in a shell's words, with a shell's exit status. */
    enum Problem {
        NO_SUCH_FILE("No such file or directory", 127),
        COMMAND_NOT_FOUND("command not found", 127),
        IS_A_DIRECTORY("Is a directory", CANNOT_EXECUTE),
        PERMISSION_DENIED("Permission denied", CANNOT_EXECUTE);

        final String message;
        final int status;

        Problem(String message, int status) {
            this.message = message;
            this.status = status;
        }
    }

    private Program() {
    }

    /** @return null if {@code program} can be executed, else why not */
    static Problem problem(String program) {
        if (program.isEmpty()) {
            return Problem.COMMAND_NOT_FOUND;
        }
        if (program.indexOf('/') >= 0) {
            return problem(path(program), Problem.NO_SUCH_FILE);
        }
        String searchPath = System.getenv("PATH");
        Problem found = Problem.COMMAND_NOT_FOUND;
        for (String dir : (searchPath != null ? searchPath : "/usr/bin:/bin").split(File.pathSeparator, -1)) {
            Problem p = problem(path((dir.isEmpty() ? "." : dir) + "/" + program), Problem.COMMAND_NOT_FOUND);
            if (p == null) {
                return null;
            }
            if (found == Problem.COMMAND_NOT_FOUND) {
                found = p; // as execvp: a match that can't be executed is remembered, the search goes on
            }
        }
        return found;
    }

    private static Problem problem(Path file, Problem missing) {
        if (file == null || !Files.exists(file)) {
            return missing;
        }
        if (Files.isDirectory(file)) {
            return Problem.IS_A_DIRECTORY;
        }
        return Files.isExecutable(file) ? null : Problem.PERMISSION_DENIED;
    }

    private static Path path(String name) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
