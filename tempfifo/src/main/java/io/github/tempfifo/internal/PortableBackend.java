package io.github.tempfifo.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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

    @Override
    public String name() {
        return "portable";
    }

    @Override
    public void createPrivateDirectory(Path dir) throws IOException {
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
        if (Umask.mayNarrow(0700)) {
            Files.setPosixFilePermissions(dir, DIR_MODE);
        }
    }

    @Override
    public void createFifo(Path fifo) throws IOException {
        createFifos(List.of(fifo));
    }

    /** Spare FIFOs made ahead ({@link SpareFifos}) where it can, one {@code mkfifo} run for the rest. */
    @Override
    public void createFifos(List<Path> fifos) throws IOException {
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
    public PendingOpen prepareOpen(Path fifo, boolean write, int pipeCapacity) throws IOException {
        requireFifo(fifo);
        return new PendingOpen() {
            @Override
            public ByteChannel await() throws IOException {
                FileChannel channel = FileChannel.open(fifo, write ? StandardOpenOption.WRITE : StandardOpenOption.READ,
                        LinkOption.NOFOLLOW_LINKS);
                try {
                    requireFifo(fifo); // the private directory is ours alone: the path is what we opened
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return new PortableFifoChannel(channel); // reads and writes of virtual threads off their carrier
            }

            @Override
            public Closeable wakeUp() throws IOException {
                // O_RDWR never blocks on a FIFO (Linux) and is both a reader and a writer.
                return FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            }

            @Override
            public void close() {
            }
        };
    }

    private void requireFifo(Path fifo) throws IOException {
        FileStat st = stat(fifo, false);
        st.requireFifo(fifo);
        BaseDirectory.requireOurs(st, fifo);
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
    public void deleteFifo(Path fifo) throws IOException {
        Files.delete(fifo);
    }

    @Override
    public void deleteDirectory(Path dir) throws IOException {
        Files.delete(dir);
    }


}
