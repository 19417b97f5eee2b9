package io.github.tempfifo.internal;

/**
 * What tempfifo needs of {@code stat(2)}.
 *
 * @param mode file type and permission bits ({@code st_mode})
 * @param uid  the owner
 */
public record FileStat(int mode, int uid) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFLNK = 0120000;
    public static final int S_ISVTX = 01000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isFifo() {
        return (mode & S_IFMT) == S_IFIFO;
    }

    /** @return the permission bits, e.g. {@code 0700} */
    public int permissions() {
        return mode & 07777;
    }
}
