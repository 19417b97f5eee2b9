package io.github.tempfifo.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and removes private directories left behind by processes that are gone.
 *
 * <p>A directory is stale only if all of these hold: its name has our shape; it is a real
 * directory (not a symlink), owned by this user, of mode 0700; it holds nothing but FIFOs; and
 * either its recorded owner (pid and start time) is not running, or it has no owner and was last
 * modified longer ago than the threshold. Nothing else is touched and no link is followed.
 */
public final class Sweeper {
    private Sweeper() {
    }

    /** @return the stale directories in {@code base}, sorted; removes nothing */
    public static List<Path> findStale(FifoBackend backend, Path base, Duration unownedOlderThan) throws IOException {
        Instant cutoff = Instant.now().minus(unownedOlderThan);
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            for (Path dir : entries) {
                try {
                    if (isStale(backend, dir, cutoff)) {
                        stale.add(dir);
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                }
            }
        }
        stale.sort(null);
        return stale;
    }

    /** Removes the stale directories in {@code base} and their FIFOs; returns those removed. */
    public static List<Path> sweep(FifoBackend backend, Path base, Duration unownedOlderThan) throws IOException {
        List<Path> removed = new ArrayList<>();
        for (Path dir : findStale(backend, base, unownedOlderThan)) {
            try {
                List<Path> fifos = fifosIn(backend, dir);
                if (fifos == null) {
                    continue; // changed since it was found
                }
                for (Path fifo : fifos) {
                    backend.deleteFifo(fifo);
                }
                backend.deleteDirectory(dir);
                removed.add(dir);
            } catch (IOException e) {
                FifoBackend.LOG.log(Level.WARNING, "sweep: could not remove " + dir + ": " + e);
            }
        }
        return removed;
    }

    /**
     * Removes one FIFO and its private directory, after checking that the FIFO is a FIFO (not
     * followed if a link) alone in one of our private directories; touches nothing otherwise.
     */
    public static void deleteOne(FifoBackend backend, Path fifo) throws IOException {
        Path path = fifo.toAbsolutePath();
        FileStat st = backend.stat(path, false);
        if (!st.isFifo()) {
            throw new FileSystemException(fifo.toString(), null, (st.mode() & FileStat.S_IFMT) == FileStat.S_IFLNK
                    ? "is a symbolic link, which tempfifo never follows" : "not a FIFO");
        }
        Path dir = path.getParent();
        if (dir == null || dir.getFileName() == null || !isPrivateDirectory(backend, dir)) {
            throw new FileSystemException(fifo.toString(), null, "not in a tempfifo private directory");
        }
        List<Path> fifos = fifosIn(backend, dir);
        if (fifos == null || fifos.size() != 1 || !fifos.get(0).getFileName().equals(path.getFileName())) {
            throw new FileSystemException(fifo.toString(), null, "its directory holds other files: not a tempfifo private directory");
        }
        backend.deleteFifo(path);
        backend.deleteDirectory(dir);
    }

    private static boolean isPrivateDirectory(FifoBackend backend, Path dir) throws IOException {
        if (PrivateDirectoryName.parse(dir.getFileName().toString()).isEmpty()) {
            return false;
        }
        FileStat st = backend.stat(dir, false);
        return st.isDirectory() && st.permissions() == 0700 && (BaseDirectory.UID < 0 || st.uid() == BaseDirectory.UID);
    }

    private static boolean isStale(FifoBackend backend, Path dir, Instant cutoff) throws IOException {
        Optional<PrivateDirectoryName.Parsed> parsed = PrivateDirectoryName.parse(dir.getFileName().toString());
        if (parsed.isEmpty()) {
            return false;
        }
        FileStat st = backend.stat(dir, false);
        if (!st.isDirectory() || st.permissions() != 0700 || (BaseDirectory.UID >= 0 && st.uid() != BaseDirectory.UID)) {
            return false;
        }
        Owner owner = parsed.get().owner();
        if (owner != null) {
            if (owner.isAlive()) {
                return false;
            }
        } else {
            Instant modified = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .lastModifiedTime().toInstant();
            if (!modified.isBefore(cutoff)) {
                return false;
            }
        }
        return fifosIn(backend, dir) != null;
    }

    /** @return the entries of {@code dir} if all are FIFOs, else null */
    private static List<Path> fifosIn(FifoBackend backend, Path dir) throws IOException {
        List<Path> fifos = new ArrayList<>(1);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!backend.stat(entry, false).isFifo()) {
                    return null;
                }
                fifos.add(entry);
            }
        }
        return fifos;
    }
}
