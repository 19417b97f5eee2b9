package io.github.tempfifo.internal;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * What tempfifo needs of {@code stat(2)}.
 *
 * @param mode file type and permission bits ({@code st_mode})
 * @param uid  the owner
 */
record FileStat(int mode, int uid) {
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFIFO = 0010000;
    static final int S_IFLNK = 0120000;
    static final int S_ISVTX = 01000;

    /** Why a symbolic link where tempfifo expects a FIFO (or a directory of its own) is refused. */
    static final String SYMLINK_REFUSED = "is a symbolic link, which tempfifo never follows";

    boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    boolean isFifo() {
        return (mode & S_IFMT) == S_IFIFO;
    }

    boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** @return the permission bits, e.g. {@code 0700} */
    int permissions() {
        return mode & 07777;
    }

    /**
     * @throws FileSystemException naming {@code path} and saying what it is instead, unless this
     *                             is a FIFO
     */
    void requireFifo(Path path) throws FileSystemException {
        if (!isFifo()) {
            throw new FileSystemException(path.toString(), null, isSymbolicLink() ? SYMLINK_REFUSED : "not a FIFO");
        }
    }
}
