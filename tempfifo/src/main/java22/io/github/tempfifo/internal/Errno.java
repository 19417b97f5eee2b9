package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** errno to the {@code java.nio.file} exception a Java user expects, naming the path and the OS's reason. */
final class Errno {
    private Errno() {
    }

    static IOException exception(int errno, Path path) {
        String file = path.toString();
        return switch (errno) {
            case Libc.EEXIST -> new FileAlreadyExistsException(file);
            case Libc.ENOENT -> new NoSuchFileException(file);
            case Libc.EACCES, Libc.EPERM -> new AccessDeniedException(file, null, Libc.strerror(errno));
            case Libc.ENOTDIR -> new NotDirectoryException(file);
            case Libc.ELOOP -> new FileSystemException(file, null, "is a symbolic link, which tempfifo never follows");
            default -> new FileSystemException(file, null, Libc.strerror(errno));
        };
    }

    /** For errors on an open descriptor, where no path applies ("Broken pipe", …). */
    static IOException exception(int errno) {
        return new IOException(Libc.strerror(errno));
    }
}
