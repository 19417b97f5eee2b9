package io.github.tempfifo.internal;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * What tempfifo needs of {@code stat(2)}.
 *
 * @param mode file type and permission bits ({@code st_mode})
 * @param uid  the owner
 * @param dev  the device of the file system that holds it (0 where not read)
 * @param ino  its inode number (0 where not read); with {@code dev}, the file's identity
 */
record FileStat(int mode, int uid, long dev, long ino) {
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFIFO = 0010000;
    static final int S_IFLNK = 0120000;
    static final int S_ISVTX = 01000;

    /** Why a symbolic link where tempfifo expects a FIFO (or a directory of its own) is refused. */
    static final String SYMLINK_REFUSED = "is a symbolic link, which tempfifo never follows";

    /** Without identity: for checks of type, mode and owner only. */
    FileStat(int mode, int uid) {
        this(mode, uid, 0, 0);
    }

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

    /** @return whether {@code other} is the same file (device and inode) */
    boolean sameFile(FileStat other) {
        return dev == other.dev && ino == other.ino;
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
