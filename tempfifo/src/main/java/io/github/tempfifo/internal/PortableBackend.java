package io.github.tempfifo.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Pure Java (17+): FIFOs are made by the system's {@code mkfifo} program, run by absolute path
 * without a shell, once per batch; everything else uses {@code java.nio.file}.
 *
 * <p>{@code pipeCapacity} is ignored: Java has no {@code fcntl}.
 */
final class PortableBackend extends FifoBackend {
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FIFO_MODE = PosixFilePermissions.fromString("rw-------");
    private static final String MKFIFO = Programs.find("mkfifo");

    /**
     * {@code Files.createDirectory} by path (the base's whole path was checked), then held by a
     * {@link SecureDirectoryStream} and checked through it to be the directory just made: a real
     * directory (the name is not a link to it), owned by this user, mode 0700.
     */
    @Override
    public PrivateDirectory createPrivateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } catch (FileSystemException e) {
            // Java gives EACCES, ENOENT, EEXIST their own types, but EPERM (e.g. an immutable
            // base) only its locale's text: ask access(2) instead, which says no for both.
            if (e.getClass() == FileSystemException.class && dir.getParent() != null && !Files.isWritable(dir.getParent())) {
                throw new AccessDeniedException(e.getFile(), e.getOtherFile(), e.getReason());
            }
            throw e;
        }
        DirectoryStream<Path> opened;
        try {
            if (Umask.mayNarrow(0700)) {
                Files.setPosixFilePermissions(dir, DIR_MODE);
            }
            opened = Files.newDirectoryStream(dir);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.delete(dir); // nothing holds it yet, and only root or this user could have swapped it
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        if (!(opened instanceof SecureDirectoryStream<Path> stream)) {
            opened.close();
            return new PortablePrivateDirectory(dir, null,
                    Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
        }
        try {
            // identity through the stream (fstat), owner and mode by path (no user-name lookup,
            // which needs a descriptor of its own): the same inode, so they are the held one's
            Object held = stream.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
            Map<String, Object> atPath = Files.readAttributes(dir, "unix:mode,uid,fileKey", LinkOption.NOFOLLOW_LINKS);
            FileStat st = new FileStat((Integer) atPath.get("mode"), (Integer) atPath.get("uid"));
            if (!Objects.equals(held, atPath.get("fileKey")) || !st.isDirectory() || st.permissions() != 0700
                    || (BaseDirectory.UID >= 0 && st.uid() != BaseDirectory.UID)) {
                throw new FileSystemException(dir.toString(), null, String.format(
                        "not the directory tempfifo just made (owner uid %d, mode %04o): its path was redirected; left alone",
                        st.uid(), st.permissions()));
            }
            return new PortablePrivateDirectory(dir, stream, held);
        } catch (IOException | RuntimeException | Error e) {
            stream.close();
            throw e;
        }
    }

    @Override
    public void createFifo(PrivateDirectory dir, String name) throws IOException {
        createFifos(List.of(dir), name);
    }

    @Override
    public void createFifos(List<PrivateDirectory> dirs, String name) throws IOException {
        List<Path> fifos = new ArrayList<>(dirs.size());
        for (PrivateDirectory dir : dirs) {
            fifos.add(dir.path().resolve(name));
        }
        makeFifos(fifos);
        // mkfifo worked by path: check that each FIFO is in the directory we hold
        for (PrivateDirectory dir : dirs) {
            requireFifo((PortablePrivateDirectory) dir, dir.path().resolve(name));
        }
    }

    @Override
    public void createFifo(Path fifo) throws IOException {
        makeFifos(List.of(fifo));
    }

    /** Spare FIFOs made ahead ({@link SpareFifos}) where it can, one {@code mkfifo} run for the rest. */
    private void makeFifos(List<Path> fifos) throws IOException {
        if (fifos.isEmpty()) {
            return;
        }
        int done = MKFIFO == null ? 0 : SpareFifos.fill(fifos, this, this::runMkfifo);
        if (done < fifos.size()) {
            runMkfifo(fifos.subList(done, fifos.size()));
        }
    }

    private void runMkfifo(List<Path> fifos) throws IOException {
        if (MKFIFO == null) {
            throw new FileSystemException(fifos.get(0).toString(), null,
                    "no mkfifo program in /usr/bin or /bin (the portable backend needs it; Java 22+ does not)");
        }
        List<String> command = new ArrayList<>(fifos.size() + 4);
        command.add(MKFIFO);
        command.add("-m");
        command.add("600");
        command.add("--");
        for (Path fifo : fifos) {
            command.add(fifo.toString());
        }
        Programs.Result r = Programs.run(command);
        int status = r.status();
        String output = r.output();
        if (status != 0) {
            for (Path fifo : fifos) {
                if (!isFifo(fifo)) {
                    throw failure(fifo, MKFIFO + " failed (" + status + "): " + output);
                }
            }
            throw new FileSystemException(fifos.get(0).toString(), null, MKFIFO + " failed (" + status + "): " + output);
        }
        if (Umask.mayNarrow(0600)) {
            for (Path fifo : fifos) {
                Files.setPosixFilePermissions(fifo, FIFO_MODE); // in our private directory: no one can swap it
            }
        }
    }

    private static boolean isFifo(Path path) {
        try {
            return Files.readAttributes(path, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode") instanceof Integer mode
                    && (mode & FileStat.S_IFMT) == FileStat.S_IFIFO;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Why {@code mkfifo} could not make {@code fifo}, found out by checks whose outcomes are types
     * (mkfifo's message is shown, never parsed).
     */
    private static IOException failure(Path fifo, String detail) {
        String p = fifo.toString();
        Path dir = fifo.getParent();
        try {
            if (!Files.readAttributes(dir, BasicFileAttributes.class).isDirectory()) {
                return new NotDirectoryException(p);
            }
        } catch (NoSuchFileException e) {
            return new NoSuchFileException(p);
        } catch (AccessDeniedException e) {
            return new AccessDeniedException(p, null, detail);
        } catch (IOException e) {
            return new FileSystemException(p, null, detail);
        }
        if (Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) {
            return new FileAlreadyExistsException(p);
        }
        if (!Files.isWritable(dir)) {
            return new AccessDeniedException(p, null, detail);
        }
        return new FileSystemException(p, null, detail);
    }

    @Override
    public PendingOpen prepareOpen(PrivateDirectory directory, Path fifo, boolean write, int pipeCapacity) throws IOException {
        PortablePrivateDirectory dir = (PortablePrivateDirectory) directory;
        Object checked = requireFifo(dir, fifo);
        return new PendingOpen() {
            @Override
            public ByteChannel await() throws IOException {
                FileChannel channel = open(dir, fifo, write ? StandardOpenOption.WRITE : StandardOpenOption.READ);
                try {
                    // Java can't fstat a channel: check that the name in our directory (ours
                    // alone: root and this user only) still is the FIFO checked before the open.
                    if (!Objects.equals(keyIn(dir, fifo), checked)) {
                        throw new FileSystemException(fifo.toString(), null, "replaced while being opened: not a FIFO tempfifo made");
                    }
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                return new PortableFifoChannel(channel); // reads and writes of virtual threads off their carrier
            }

            @Override
            public Closeable wakeUp() throws IOException {
                // O_RDWR never blocks on a FIFO (Linux) and is both a reader and a writer.
                return open(dir, fifo, StandardOpenOption.WRITE, StandardOpenOption.READ);
            }

            @Override
            public void close() {
            }
        };
    }

    /** {@code openat(dir, NAME, O_NOFOLLOW | …)}: blocks as {@code open(2)} on a FIFO does. */
    private static FileChannel open(PortablePrivateDirectory dir, Path fifo, StandardOpenOption... options) throws IOException {
        if (dir.stream == null) {
            return FileChannel.open(fifo, with(options, LinkOption.NOFOLLOW_LINKS));
        }
        java.nio.channels.SeekableByteChannel channel;
        try {
            channel = dir.stream.newByteChannel(fifo.getFileName(), Set.of(with(options, LinkOption.NOFOLLOW_LINKS)));
        } catch (ClosedDirectoryStreamException e) {
            throw CancellableOpen.closedException(fifo);
        }
        if (channel instanceof FileChannel file) { // the JDK's, on Linux: openat(2) then a FileChannel
            return file;
        }
        channel.close();
        throw new FileSystemException(fifo.toString(), null, "the JDK's SecureDirectoryStream gave no FileChannel");
    }

    private static OpenOption[] with(OpenOption[] options, OpenOption extra) {
        OpenOption[] all = java.util.Arrays.copyOf(options, options.length + 1, OpenOption[].class);
        all[options.length] = extra;
        return all;
    }

    /** The identity of what NAME is in our directory now ({@code fstatat}, no link followed). */
    private static Object keyIn(PortablePrivateDirectory dir, Path fifo) throws IOException {
        if (dir.stream == null) {
            return Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        }
        try {
            return dir.stream.getFileAttributeView(fifo.getFileName(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes().fileKey();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(fifo.toString());
        } catch (ClosedDirectoryStreamException e) {
            throw CancellableOpen.closedException(fifo);
        }
    }

    /**
     * Checks that NAME in our directory is a FIFO of this user, and that the path {@code fifo}
     * still leads to it (same device and inode): Java has no {@code fstatat} that tells a FIFO
     * from a socket, so the type is read by path, once the path is shown to lead to the same file.
     *
     * @return the FIFO's identity
     */
    private Object requireFifo(PortablePrivateDirectory dir, Path fifo) throws IOException {
        Object key = keyIn(dir, fifo);
        Map<String, Object> atPath;
        try {
            atPath = Files.readAttributes(fifo, "unix:mode,uid,fileKey", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            atPath = Map.of();
        }
        if (!Objects.equals(key, atPath.get("fileKey"))) {
            throw new FileSystemException(fifo.toString(), null, "this path no longer leads to the FIFO tempfifo made "
                    + "(a directory on it was renamed or replaced): not opened; close() still removes the FIFO");
        }
        FileStat st = new FileStat((Integer) atPath.get("mode"), (Integer) atPath.get("uid"));
        st.requireFifo(fifo);
        BaseDirectory.requireOurs(st, fifo);
        return key;
    }

    @Override
    public FileStat stat(Path path, boolean followLinks) throws IOException {
        java.util.Map<String, Object> attrs = followLinks
                ? Files.readAttributes(path, "unix:mode,uid,dev,ino")
                : Files.readAttributes(path, "unix:mode,uid,dev,ino", LinkOption.NOFOLLOW_LINKS);
        return new FileStat((Integer) attrs.get("mode"), (Integer) attrs.get("uid"), (Long) attrs.get("dev"),
                (Long) attrs.get("ino"));
    }

    @Override
    public void deleteFifo(PrivateDirectory directory, String name) throws IOException {
        PortablePrivateDirectory dir = (PortablePrivateDirectory) directory;
        if (dir.stream == null) {
            Files.delete(dir.path().resolve(name));
            return;
        }
        try {
            dir.stream.deleteFile(Path.of(name)); // unlinkat(dir, NAME, 0)
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(dir.path().resolve(name).toString());
        } catch (ClosedDirectoryStreamException e) {
            throw CancellableOpen.closedException(dir.path().resolve(name));
        }
    }

    /**
     * Removes our directory, never another: by path when the path leads to it (same device and
     * inode; no new descriptor needed); otherwise (moved, or the path leads elsewhere) opens
     * {@code ..} of the held directory (the directory that holds ours now, whatever its path),
     * finds ours in it by identity (under its first name, else by listing it), and removes it
     * there ({@code unlinkat(.., NAME, AT_REMOVEDIR)}).
     */
    @Override
    public void deleteDirectory(PrivateDirectory directory) throws IOException {
        PortablePrivateDirectory dir = (PortablePrivateDirectory) directory;
        Object atPath;
        try {
            atPath = Files.readAttributes(dir.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            atPath = null;
        }
        if (dir.stream == null || Objects.equals(atPath, dir.key)) {
            // between the check and rmdir only someone who may rename a directory on the path
            // (after BaseDirectory's check: root or this user) could swap it
            Files.delete(dir.path());
            return;
        }
        try (SecureDirectoryStream<Path> parent = dir.stream.newDirectoryStream(Path.of(".."), LinkOption.NOFOLLOW_LINKS)) {
            Path name = dir.path().getFileName();
            if (!Objects.equals(keyOf(parent, name), dir.key)) {
                name = null;
                for (Path entry : parent) { // renamed (by root or this user): find it by identity
                    if (Objects.equals(keyOf(parent, entry.getFileName()), dir.key)) {
                        name = entry.getFileName();
                        break;
                    }
                }
                if (name == null) {
                    throw new NoSuchFileException(dir.path().toString());
                }
            }
            parent.deleteDirectory(name);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(dir.path().toString()); // ".." of a removed directory: gone already
        } catch (ClosedDirectoryStreamException e) {
            throw CancellableOpen.closedException(dir.path());
        }
    }

    private static Object keyOf(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes().fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void deleteFifo(Path fifo) throws IOException {
        Files.delete(fifo);
    }

    @Override
    public void deleteDirectory(Path dir) throws IOException {
        Files.delete(dir);
    }


}
