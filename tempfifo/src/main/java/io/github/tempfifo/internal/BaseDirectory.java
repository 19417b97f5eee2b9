package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory in which private directories are made: choosing the default and refusing one in
 * which another user could move our private directory away and put their own in its place.
 */
public final class BaseDirectory {
    private static final Path PROC_SELF = Path.of("/proc/self");
    /** Linux's limit (MAXSYMLINKS) on links followed in one path. */
    private static final int MAX_LINKS = 40;
    private static final int MAX_VERIFIED = 256;
    /** Base directories whose whole path passed {@link #check}: the base's stat when it did. */
    private static final Map<Path, FileStat> VERIFIED = new ConcurrentHashMap<>();
    /** This process's effective uid, or -1 if unknown. */
    static final int UID = readUid();

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

    /**
     * {@code $TMPDIR}, the user's explicit choice of a temporary directory: first in every
     * default base (with sharing too). Checked like any base when used.
     *
     * @return its path, or null if it is unset, empty or not a path
     */
    public static Path tmpdirVariable() {
        String tmpdir = System.getenv("TMPDIR");
        if (tmpdir != null && !tmpdir.isEmpty()) {
            try {
                return Path.of(tmpdir);
            } catch (RuntimeException e) {
                // not a path: as if unset
            }
        }
        return null;
    }

    private static final class Default {
        static final Path BASE = choose();

        private static Path choose() {
            Path tmpdir = tmpdirVariable();
            if (tmpdir != null) {
                return tmpdir;
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
     * Checks that no other user can redirect {@code base}: every directory from {@code /} down
     * to it (symbolic links resolved, each real directory checked, as OpenSSH's StrictModes does)
     * is owned by root or by us, and writable by group or others only with the sticky bit (as
     * {@code /tmp}); each symbolic link on the way is owned by root or by us. Otherwise another
     * user could rename a directory on the way (or ours in the base) and put one of theirs in its
     * place, so that the path handed to a consumer leads to their FIFO. Nothing is cached: for
     * {@code sweep} and anything else that runs rarely.
     *
     * @return the base directory's own {@code lstat}, after symbolic links
     * @throws java.nio.file.NoSuchFileException if a directory on the way does not exist
     * @throws NotDirectoryException             if the base or a component is not a directory
     * @throws AccessDeniedException             naming the directory (or link) that is unsafe, and why
     */
    static FileStat check(FifoBackend backend, Path base) throws IOException {
        Path abs = base.toAbsolutePath();
        ArrayDeque<String> todo = new ArrayDeque<>();
        pushNames(todo, abs);
        Path root = abs.getRoot();
        Path dir = root;
        FileStat dirStat = backend.stat(root, false);
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) { // dir holds no symbolic link: its lexical parent is its real one
                if (dir.getParent() != null) {
                    dir = dir.getParent();
                    dirStat = backend.stat(dir, false);
                }
                continue;
            }
            Path child = dir.resolve(name);
            requireSafe(dir, dirStat, child, abs);
            FileStat st = backend.stat(child, false);
            if (st.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    throw new FileSystemException(abs.toString(), null, "too many levels of symbolic links");
                }
                if (UID >= 0 && st.uid() != UID && st.uid() != 0) {
                    throw new AccessDeniedException(child.toString(), null, "unsafe path to the base directory " + abs
                            + ": a symbolic link owned by uid " + st.uid() + ", who could point it elsewhere");
                }
                // The link's directory is safe and the link is ours or root's: its target is fixed.
                Path target = Files.readSymbolicLink(child);
                pushNames(todo, target);
                if (target.isAbsolute()) {
                    dir = root;
                    dirStat = backend.stat(root, false);
                }
                continue;
            }
            if (!st.isDirectory()) {
                throw new NotDirectoryException(todo.isEmpty() ? base.toString() : child.toString());
            }
            dir = child;
            dirStat = st;
        }
        requireSafe(dir, dirStat, null, abs);
        return dirStat;
    }

    /**
     * As {@link #check}, for each create: the full walk runs once per base directory, then a
     * single {@code stat} of the base confirms that it is still the same directory (device and
     * inode), with the same owner and mode. Why that is enough: a chain that passed the check can
     * be changed only by root or by us (every directory on it is theirs or ours, and those others
     * may write in are sticky, which keeps others from renaming entries they don't own), and both
     * are trusted; a base path that now leads to another directory is walked again.
     */
    public static void checkCached(FifoBackend backend, Path base) throws IOException {
        Path abs = base.toAbsolutePath();
        FileStat now;
        try {
            now = backend.stat(abs, true);
        } catch (IOException e) {
            check(backend, abs); // says which component is missing or unsafe
            throw e;
        }
        FileStat verified = VERIFIED.get(abs);
        if (verified != null && verified.sameFile(now) && verified.mode() == now.mode() && verified.uid() == now.uid()) {
            return;
        }
        FileStat checked = check(backend, abs);
        if (VERIFIED.size() >= MAX_VERIFIED) {
            VERIFIED.clear();
        }
        VERIFIED.put(abs, checked);
    }

    private static void pushNames(ArrayDeque<String> todo, Path path) {
        for (int i = path.getNameCount() - 1; i >= 0; i--) {
            todo.addFirst(path.getName(i).toString());
        }
    }

    /**
     * Refuses {@code dir} if another user could rename {@code child} (or, for the base itself,
     * with {@code child} null, what we create in it).
     */
    private static void requireSafe(Path dir, FileStat st, Path child, Path base) throws AccessDeniedException {
        String what = child == null ? "what we create in it" : child.toString();
        String where = child == null ? "unsafe base directory: " : "unsafe path to the base directory " + base + ": ";
        if (UID >= 0 && st.uid() != UID && st.uid() != 0) {
            throw new AccessDeniedException(dir.toString(), null, where + "owned by uid " + st.uid()
                    + ", who could " + (child == null ? "replace " : "rename ") + what);
        }
        if ((st.permissions() & 0022) != 0 && (st.permissions() & FileStat.S_ISVTX) == 0) {
            throw new AccessDeniedException(dir.toString(), null, where + String.format(
                    "mode %04o lets other users rename %s (set the sticky bit, as on /tmp)", st.permissions(), what));
        }
    }

    /**
     * Refuses to open a FIFO that this user does not own: only another user could have put it
     * there (e.g. through a base directory subverted between its check and our mkdir), and
     * opening it would hand our data to them, or theirs to us.
     *
     * @throws AccessDeniedException naming the owner
     */
    static void requireOurs(FileStat st, Path fifo) throws AccessDeniedException {
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
    static Optional<UserPrincipal> currentUser() {
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
