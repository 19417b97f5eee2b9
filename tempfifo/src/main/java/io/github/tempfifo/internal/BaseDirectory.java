package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;

/**
 * The directory in which private directories are made: choosing the default and refusing one in
 * which another user could move our private directory away and put their own in its place.
 */
public final class BaseDirectory {
    private static final Path PROC_SELF = Path.of("/proc/self");
    /** This process's effective uid, or -1 if unknown. */
    public static final int UID = readUid();

    private BaseDirectory() {
    }

    /**
     * {@code $TMPDIR} when it is set (the user's explicit choice, as for {@code mktemp(1)} and
     * the tempfifo command line); else {@code $XDG_RUNTIME_DIR} when it is set, an absolute path
     * to a directory owned by this user with mode 0700; else {@code java.io.tmpdir}. Read once.
     */
    public static Path defaultBase() {
        return Default.BASE;
    }

    private static final class Default {
        static final Path BASE = choose();

        private static Path choose() {
            String tmpdir = System.getenv("TMPDIR");
            if (tmpdir != null && !tmpdir.isEmpty()) {
                try {
                    return Path.of(tmpdir); // checked like any base when used
                } catch (RuntimeException e) {
                    // not a path: fall through
                }
            }
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            if (xdg != null && !xdg.isEmpty()) {
                try {
                    Path dir = Path.of(xdg);
                    if (dir.isAbsolute()) {
                        FileStat st = FifoBackend.get().stat(dir, true);
                        if (st.isDirectory() && st.uid() == UID && st.permissions() == 0700) {
                            return dir;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // unusable: fall through
                }
            }
            return Path.of(System.getProperty("java.io.tmpdir"));
        }
    }

    /**
     * Checks that {@code base} is a directory in which only we (or root) can rename or remove
     * entries we create: owned by us or root, and not writable by others unless sticky (as /tmp).
     *
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws NotDirectoryException             if it is not a directory
     * @throws AccessDeniedException             if it is unsafe, with the reason
     */
    public static void check(FifoBackend backend, Path base) throws IOException {
        FileStat st = backend.stat(base, true);
        if (!st.isDirectory()) {
            throw new NotDirectoryException(base.toString());
        }
        if (UID >= 0 && st.uid() != UID && st.uid() != 0) {
            throw new AccessDeniedException(base.toString(), null,
                    "unsafe base directory: owned by uid " + st.uid() + ", who could replace what we create in it");
        }
        if ((st.permissions() & 0022) != 0 && (st.permissions() & FileStat.S_ISVTX) == 0) {
            throw new AccessDeniedException(base.toString(), null, String.format(
                    "unsafe base directory: mode %04o lets other users rename what we create in it (set the sticky bit, as on /tmp)",
                    st.permissions()));
        }
    }

    /**
     * Refuses to open a FIFO that this user does not own: only another user could have put it
     * there (e.g. through a base directory subverted between its check and our mkdir), and
     * opening it would hand our data to them, or theirs to us.
     *
     * @throws AccessDeniedException naming the owner
     */
    public static void requireOurs(FileStat st, Path fifo) throws AccessDeniedException {
        if (UID >= 0 && st.uid() != UID) {
            throw new AccessDeniedException(fifo.toString(), null,
                    "owned by uid " + st.uid() + ", not by this user (uid " + UID + "): not a FIFO tempfifo made");
        }
    }

    /**
     * The user this process acts as, as a principal to compare with {@code PosixFileAttributes.owner()}.
     *
     * @return empty if it can't be known (no {@code /proc})
     */
    public static Optional<UserPrincipal> currentUser() {
        return Optional.ofNullable(CurrentUser.PRINCIPAL);
    }

    private static final class CurrentUser {
        static final UserPrincipal PRINCIPAL = read();

        private static UserPrincipal read() {
            try {
                return Files.getOwner(PROC_SELF); // followed: /proc/PID is owned by the effective uid
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    private static int readUid() {
        try {
            // Follow the link: /proc/self itself is a symlink owned by root, /proc/PID is owned by
            // this process's effective uid.
            return (Integer) Files.getAttribute(PROC_SELF, "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
