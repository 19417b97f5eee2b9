package io.github.tempfifo.internal;

/**
 * What tempfifo needs of {@code stat(2)}.
 *
 * @param mode file type and permission bits ({@code st_mode})
 * @param uid  the owner
 * @param dev  the device of the file system that holds it (0 where not read)
 * @param ino  its inode number (0 where not read); with {@code dev}, the file's identity
 */
public record FileStat(int mode, int uid, long dev, long ino) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFLNK = 0120000;
    public static final int S_ISVTX = 01000;

    /** Without identity: for checks of type, mode and owner only. */
    public FileStat(int mode, int uid) {
        this(mode, uid, 0, 0);
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isFifo() {
        return (mode & S_IFMT) == S_IFIFO;
    }

    public boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** @return the permission bits, e.g. {@code 0700} */
    public int permissions() {
        return mode & 07777;
    }

    /** @return whether {@code other} is the same file (device and inode) */
    public boolean sameFile(FileStat other) {
        return dev == other.dev && ino == other.ino;
    }
}
