package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A failed system call and its errno, as the JDK's {@code sun.nio.fs.UnixException}: code that
 * decides on an error asks {@link #errno()}, never the text; the exception a caller sees is made
 * once, by {@link #translate(Path)} (a path-based call) or {@link #translate()} (a call on an open
 * descriptor). {@code strerror} text follows the locale, so it is only ever shown, never compared.
 *
 * <p>Thrown by {@link NativeCall#check(int)}; {@link NativeCall#run(Path, NativeCall.Body)}
 * translates it. No stack trace: it never leaves this package untranslated.
 */
final class ErrnoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    ErrnoException(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }

    /** @return the {@code java.nio.file} exception a Java user expects, naming {@code path} */
    IOException translate(Path path) {
        if (path == null) {
            return translate();
        }
        String file = path.toString();
        return switch (errno) {
            case Libc.EEXIST -> new FileAlreadyExistsException(file);
            case Libc.ENOENT -> new NoSuchFileException(file);
            case Libc.EACCES, Libc.EPERM -> new AccessDeniedException(file, null, Libc.strerror(errno));
            case Libc.ENOTDIR -> new NotDirectoryException(file);
            case Libc.ELOOP -> new FileSystemException(file, null, FileStat.SYMLINK_REFUSED);
            default -> new FileSystemException(file, null, Libc.strerror(errno));
        };
    }

    /** @return the exception for an error on an open descriptor, where no path applies ("Broken pipe", …) */
    IOException translate() {
        return new IOException(Libc.strerror(errno));
    }

    @Override
    public String getMessage() {
        return "errno " + errno;
    }
}
