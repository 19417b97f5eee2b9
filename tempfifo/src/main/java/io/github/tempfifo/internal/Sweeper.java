package io.github.tempfifo.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds and removes private directories left behind by processes that are gone.
 *
 * <p>A directory is stale only if all of these hold: its name has our shape; it is a real
 * directory (not a symlink), owned by this user, of mode 0700 (0710 when shared: see {@link Sharing}); it holds nothing but FIFOs owned
 * by this user; and either its recorded owner (pid and start time) is not running, or it has no
 * owner and was last modified longer ago than the threshold. Nothing else is touched.
 *
 * <p>No symbolic link is followed, and no check is separated from the removal it allows by a
 * path lookup that could be redirected: the base directory is opened once, each candidate is
 * opened relative to it with {@code O_NOFOLLOW} ({@link SecureDirectoryStream}), its attributes
 * are read from that open directory, its FIFOs are removed relative to it ({@code unlinkat}),
 * and it is removed only if the name in the base directory still refers to the same inode.
 * A candidate is opened only once {@code lstat} has shown it to be a directory of ours (mode
 * 0700, so that no one else can put anything else under its name); a FIFO named like one of
 * ours is never opened, so it can't make a sweep block. A base directory in which another user
 * could rename entries (see {@link BaseDirectory#check}) is refused.
 */
public final class Sweeper {
    private Sweeper() {
    }

    /** @return the stale directories in {@code base}, sorted; removes nothing */
    public static List<Path> findStale(FifoBackend backend, Path base, Duration unownedOlderThan) throws IOException {
        return scan(backend, base, unownedOlderThan, false);
    }

    /** Removes the stale directories in {@code base} and their FIFOs; returns those removed, sorted. */
    public static List<Path> sweep(FifoBackend backend, Path base, Duration unownedOlderThan) throws IOException {
        return scan(backend, base, unownedOlderThan, true);
    }

    private static List<Path> scan(FifoBackend backend, Path base, Duration unownedOlderThan, boolean remove)
            throws IOException {
        Objects.requireNonNull(base, "base");
        BaseDirectory.check(backend, base);
        Optional<UserPrincipal> me = BaseDirectory.currentUser();
        if (me.isEmpty()) {
            FifoBackend.LOG.log(Level.WARNING, "sweep: this user's id is unknown (no /proc/self), so no directory can be "
                    + "shown to be ours; nothing removed from " + base);
            return List.of();
        }
        Candidate.Rules rules = new Candidate.Rules(backend, me.get(), Instant.now().minus(unownedOlderThan));
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            if (!(entries instanceof SecureDirectoryStream<Path> secure)) {
                // Checks by path could be redirected between the check and the removal: refuse.
                throw new FileSystemException(base.toString(), null,
                        "sweep needs a SecureDirectoryStream (openat, unlinkat), which Java lacks on this platform");
            }
            for (Path entry : entries) {
                Optional<PrivateDirectoryName.Parsed> parsed = PrivateDirectoryName.parse(entry.getFileName().toString());
                if (parsed.isEmpty()) {
                    continue;
                }
                try {
                    if (Candidate.secure(rules, secure, entry, parsed.get(), remove)) {
                        found.add(entry);
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile (by its owner, or by another sweep)
                } catch (IOException | RuntimeException e) {
                    FifoBackend.LOG.log(Level.WARNING, "sweep: skipped " + entry + ": " + e);
                }
            }
        }
        found.sort(null);
        return found;
    }

    /**
     * Removes one FIFO and its private directory, after checking that the FIFO is a FIFO of this
     * user (not followed if a link) alone in one of our private directories; touches nothing
     * otherwise. (For {@code TempFifo.delete} and {@code tempfifo rm}.) The checks are by path;
     * the removal goes through descriptors, each shown to be the file checked.
     */
    public static void deleteOne(FifoBackend backend, Path fifo) throws IOException {
        Path path = fifo.toAbsolutePath();
        FileStat st = backend.stat(path, false);
        st.requireFifo(fifo);
        BaseDirectory.requireOurs(st, path);
        Path dir = path.getParent();
        if (dir == null || dir.getFileName() == null || PrivateDirectoryName.parse(dir.getFileName().toString()).isEmpty()) {
            throw new FileSystemException(fifo.toString(), null, "not in a tempfifo private directory");
        }
        FileStat d = backend.stat(dir, false);
        if (!d.isDirectory() || !Sharing.isPrivateDirectoryMode(d.permissions())
                || (BaseDirectory.UID >= 0 && d.uid() != BaseDirectory.UID)) {
            throw new FileSystemException(fifo.toString(), null, "not in a tempfifo private directory");
        }
        boolean sameGroup = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group()
                .equals(Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group());
        String refused = Sharing.refuseFifo(backend, dir, d.permissions(), path, st.permissions(), sameGroup);
        if (refused != null) {
            throw new FileSystemException(fifo.toString(), null, refused + ": not a FIFO tempfifo made");
        }
        if (!removeThroughDescriptors(path, dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                requireAlone(entries, path);
            }
            backend.deleteFifo(path);
            backend.deleteDirectory(dir);
        }
    }

    /** Lists {@code directory} (once: a directory stream has one iterator), leaving it open. */
    private static void requireAlone(DirectoryStream<Path> directory, Path fifo) throws IOException {
        List<Path> entries = new ArrayList<>(1);
        directory.forEach(entries::add);
        if (entries.size() != 1 || !entries.get(0).getFileName().equals(fifo.getFileName())) {
            throw new FileSystemException(fifo.toString(), null, "its directory holds other files: not a tempfifo private directory");
        }
    }

    /**
     * The removal, once the checks above (by path) passed: the base directory is opened, the
     * private directory opened relative to it without following links, both shown to be the
     * very files checked (device and inode), the FIFO removed relative to the private directory
     * ({@code unlinkat}) and the private directory relative to the base, after checking again
     * that its name there is still it. So a directory on the path renamed or replaced meanwhile
     * makes this refuse, never remove something else.
     *
     * @return false where the JDK offers no {@link SecureDirectoryStream} (or the base can't be
     *         listed): the caller removes by path
     */
    private static boolean removeThroughDescriptors(Path fifo, Path dir) throws IOException {
        Path dirName = dir.getFileName();
        Path fifoName = fifo.getFileName();
        DirectoryStream<Path> opened;
        try {
            opened = Files.newDirectoryStream(dir.getParent());
        } catch (java.nio.file.AccessDeniedException e) {
            return false; // a base we may search but not read
        }
        try (DirectoryStream<Path> base = opened) {
            if (!(base instanceof SecureDirectoryStream<Path> secureBase)) {
                return false;
            }
            Object dirKey = keyOf(secureBase, dirName);
            if (!Objects.equals(dirKey, Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())) {
                throw new FileSystemException(fifo.toString(), null, "its directory was replaced while being checked: not removed");
            }
            try (SecureDirectoryStream<Path> privateDir = secureBase.newDirectoryStream(dirName, LinkOption.NOFOLLOW_LINKS)) {
                Object fifoKey = keyOf(privateDir, fifoName);
                if (!Objects.equals(privateDir.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey(), dirKey)
                        || !Objects.equals(fifoKey, Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())) {
                    throw new FileSystemException(fifo.toString(), null, "replaced while being checked: not removed");
                }
                requireAlone(privateDir, fifo);
                privateDir.deleteFile(fifoName);
            }
            if (!Objects.equals(keyOf(secureBase, dirName), dirKey)) {
                throw new FileSystemException(dir.toString(), null, "replaced while being emptied: not removed");
            }
            secureBase.deleteDirectory(dirName);
            return true;
        }
    }

    private static Object keyOf(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes().fileKey();
    }

    private static final class Candidate {
        record Rules(FifoBackend backend, UserPrincipal me, Instant cutoff) {
        }

        /** Checks and (if asked) removes one entry, through file descriptors. */
        static boolean secure(Rules rules, SecureDirectoryStream<Path> base, Path entry,
                              PrivateDirectoryName.Parsed parsed, boolean remove) throws IOException {
            Path name = entry.getFileName();
            // lstat first: never open anything that is not a private directory of ours (a FIFO would block)
            PosixFileAttributes seen = base.getFileAttributeView(name, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
            if (!isPrivateDirectory(rules, seen)) {
                return false;
            }
            try (SecureDirectoryStream<Path> dir = base.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                PosixFileAttributes attrs = dir.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
                if (!isPrivateDirectory(rules, attrs) || !Objects.equals(attrs.fileKey(), seen.fileKey())
                        || !isStale(rules, parsed, attrs)) {
                    return false;
                }
                List<Path> fifos = new ArrayList<>(1);
                for (Path child : dir) {
                    Path childName = child.getFileName();
                    PosixFileAttributes c = dir.getFileAttributeView(childName, PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS).readAttributes();
                    // isOther: a FIFO, socket or device; the lstat by path tells which (the directory is ours alone)
                    if (!c.isOther() || !c.owner().equals(rules.me()) || !rules.backend().stat(child, false).isFifo()
                            || Sharing.refuseFifo(rules.backend(), entry, Sharing.bits(attrs.permissions()), child,
                                    Sharing.bits(c.permissions()), c.group().equals(attrs.group())) != null) {
                        return false;
                    }
                    fifos.add(childName);
                }
                if (!remove) {
                    return true;
                }
                for (Path fifo : fifos) {
                    dir.deleteFile(fifo); // unlinkat(dir, name, 0): in the directory checked, whatever its path now
                }
                // rmdir by name in the base: only if the name still is the directory we checked and emptied
                Object key = base.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes().fileKey();
                if (!Objects.equals(key, attrs.fileKey())) {
                    return false;
                }
                base.deleteDirectory(name);
                return true;
            }
        }

        private static boolean isPrivateDirectory(Rules rules, PosixFileAttributes attrs) {
            return attrs.isDirectory() && !attrs.isSymbolicLink() && attrs.owner().equals(rules.me())
                    && Sharing.isPrivateDirectoryMode(attrs.permissions()); // 0700, or 0710 when shared
        }

        private static boolean isStale(Rules rules, PrivateDirectoryName.Parsed parsed, PosixFileAttributes attrs) {
            Owner owner = parsed.owner();
            if (owner != null) {
                return !owner.isAlive();
            }
            return attrs.lastModifiedTime().toInstant().isBefore(rules.cutoff());
        }
    }
}
