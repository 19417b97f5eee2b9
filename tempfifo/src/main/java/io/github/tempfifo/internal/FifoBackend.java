package io.github.tempfifo.internal;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The system calls tempfifo needs, behind one small abstract class (after Lucene's
 * {@code NativeAccess}). Two implementations: {@code FfmBackend} (in this package, but in the
 * {@code java22} source root, compiled at {@code --release 22} and loaded through a
 * {@link MethodHandles.Lookup} only on 22+) and {@link PortableBackend}.
 *
 * <p>Selection happens once, on first use. The system property {@code tempfifo.backend}
 * ({@code ffm} or {@code portable}) forces a choice; {@code ffm} fails loudly if it can't load.
 */
public abstract class FifoBackend {
    /** Made on first use: the JDK's logging costs a short program milliseconds to set up. */
    static final System.Logger LOG = new LazyLogger("io.github.tempfifo");

    /** The backend in use, chosen on first call. */
    public static FifoBackend get() {
        return Holder.INSTANCE;
    }

    /** @return true for the FFM backend (system calls through the Foreign Function &amp; Memory API) */
    public boolean isNative() {
        return false;
    }

    /**
     * Creates {@code dir} atomically with mode exactly 0700, whatever the umask, and holds it
     * open from then on: every later step (creating, checking, opening and removing the FIFO,
     * removing the directory) goes through the returned handle, never through the path, so that
     * a renamed or replaced directory on the path can't redirect it. The opened directory is
     * checked to be the one just made (a directory owned by this user, mode 0700); if it is
     * not, nothing is removed and a {@link java.nio.file.FileSystemException} says why.
     *
     * @return the open directory; close it once the directory is removed (or to keep it)
     * @throws java.nio.file.FileAlreadyExistsException if anything exists at {@code dir}
     */
    public abstract PrivateDirectory createPrivateDirectory(Path dir) throws IOException;

    /**
     * Creates a FIFO named {@code name} with mode exactly 0600, whatever the umask, in the
     * directory held by {@code dir} ({@code mkfifoat} where the backend can).
     */
    public abstract void createFifo(PrivateDirectory dir, String name) throws IOException;

    /**
     * Creates a FIFO named {@code name} in each of the given (fresh) private directories.
     * Backends whose FIFO creation has a high fixed cost override this to pay it once for the
     * whole batch.
     */
    public void createFifos(List<PrivateDirectory> dirs, String name) throws IOException {
        for (PrivateDirectory dir : dirs) {
            createFifo(dir, name);
        }
    }

    /**
     * Creates a FIFO at {@code fifo}, by path, with mode exactly 0600 (for FIFOs outside a
     * private directory of ours: tests, and tools that plant them).
     */
    public abstract void createFifo(Path fifo) throws IOException;

    /**
     * Prepares to open one end of the FIFO {@code fifo} (a name in {@code dir}), relative to the
     * held directory. Does not block. Refuses anything but a FIFO of this user, and a FIFO that
     * the path {@code fifo} no longer leads to (device and inode differ: a directory on the path
     * was renamed or replaced since), with a {@link java.nio.file.FileSystemException} naming
     * the path. The returned handle's {@link PendingOpen#await()} blocks until the other end
     * opens, and {@link PendingOpen#wakeUp()} releases it from any thread.
     */
    public abstract PendingOpen prepareOpen(PrivateDirectory dir, Path fifo, boolean write, int pipeCapacity)
            throws IOException;

    /**
     * {@code stat(2)} or, with {@code followLinks} false, {@code lstat(2)}.
     *
     * @throws java.nio.file.NoSuchFileException if nothing is at {@code path}
     */
    public abstract FileStat stat(Path path, boolean followLinks) throws IOException;

    /** Removes the FIFO {@code name} from the held directory ({@code unlinkat}; never follows a link). */
    public abstract void deleteFifo(PrivateDirectory dir, String name) throws IOException;

    /**
     * Removes the (empty) held directory itself: from the directory the kernel says holds it
     * now ({@code ..} of the held one), under its name there, and only if that name still is
     * this very directory (device and inode). Does not close {@code dir}.
     *
     * @throws java.nio.file.NoSuchFileException if it is gone already
     * @throws java.nio.file.FileSystemException if it can't be found under its name (moved by
     *                                           root or this user): nothing else is removed
     */
    public abstract void deleteDirectory(PrivateDirectory dir) throws IOException;

    /** Removes a FIFO by path (never follows a symlink); for what no handle holds. */
    public abstract void deleteFifo(Path fifo) throws IOException;

    /** Removes an empty directory by path; for what no handle holds. */
    public abstract void deleteDirectory(Path dir) throws IOException;

    /**
     * A private directory a backend made and holds open (a descriptor), so that what happens in
     * it does not depend on the path that leads to it. Closing releases the descriptor only.
     */
    public abstract static class PrivateDirectory implements Closeable {
        private final Path path;

        protected PrivateDirectory(Path path) {
            this.path = path;
        }

        /** @return the path it was created at (what is handed out; it may no longer lead here) */
        public final Path path() {
            return path;
        }

        /** Releases the descriptor; idempotent. */
        @Override
        public abstract void close();

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * Opens {@code file} for reading, to copy it into a FIFO with {@link FileSource#transferTo}.
     * This implementation uses {@link FileChannel#transferTo}, which the JDK turns into
     * {@code sendfile(2)} (zero-copy) when the target is a {@link FileChannel}, as the portable
     * backend's FIFO ends are.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     */
    public FileSource openSource(Path file) throws IOException {
        return new ChannelSource(FileChannel.open(file, StandardOpenOption.READ));
    }

    /** {@link FileChannel#transferTo}: {@code sendfile(2)} into a FileChannel, a copy loop into anything else. */
    static final class ChannelSource implements FileSource {
        private final FileChannel source;
        private String method = "FileChannel.transferTo";

        ChannelSource(FileChannel source) {
            this.source = source;
        }

        @Override
        public long transferTo(WritableByteChannel fifoEnd) throws IOException {
            if (fifoEnd instanceof PortableFifoChannel) {
                PortableFifoChannel fifo = (PortableFifoChannel) fifoEnd;
                // sendfile(2) into the FIFO's FileChannel; on a virtual thread, the whole copy
                // runs on a platform thread while it parks (an interrupt closes the FIFO end).
                return BlockingCallPool.onVirtualThread()
                        ? fifo.unpinned(() -> copy(fifo.fileChannel()))
                        : copy(fifo.fileChannel());
            }
            return copy(fifoEnd);
        }

        private long copy(WritableByteChannel fifoEnd) throws IOException {
            String direct = fifoEnd instanceof FileChannel ? "FileChannel.transferTo (sendfile)" : "FileChannel.transferTo (copy)";
            long total = 0;
            for (long n; (n = source.transferTo(total, Long.MAX_VALUE - total, fifoEnd)) > 0; ) {
                total += n;
            }
            // transferTo stops at the size the file had: copy what is left (a file that grew, or
            // one whose size says nothing, as in /proc), which is usually nothing.
            source.position(total);
            long copied = Copy.copy(source, fifoEnd);
            method = copied == 0 ? direct : total == 0 ? "read/write" : direct + ", then read/write";
            return total + copied;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }

    /** A file being copied into a FIFO. */
    public interface FileSource extends Closeable {
        /**
         * Copies the file, from its start to its end, into {@code fifoEnd} (a write end this
         * backend opened), blocking while the pipe is full.
         *
         * @return the number of bytes copied
         */
        long transferTo(WritableByteChannel fifoEnd) throws IOException;

        /** @return how the last (or next) {@link #transferTo} copies: for logs and benchmarks */
        String method();
    }

    /**
     * Replaces the access ACL of {@code path}, a FIFO or private directory this process has just
     * made (never follows a link). This implementation runs the {@code setfacl} program.
     *
     * @throws java.nio.file.FileSystemException saying so when the file system has no POSIX ACLs
     */
    public void setAccessAcl(Path path, PosixAcl acl) throws IOException {
        AclPrograms.set(path, acl);
    }

    /**
     * Whether {@code path} (not followed if a link) has ACL entries beyond its mode bits. This
     * implementation runs the {@code getfacl} program, and says false when there is none.
     */
    public boolean hasAccessAcl(Path path) throws IOException {
        return AclPrograms.has(path);
    }

    /** One open of one end of a FIFO, in progress. */
    public interface PendingOpen extends Closeable {
        /**
         * Opens the end, blocking until the other end is open or {@link #wakeUp()} is called.
         * The channel is verified to be a FIFO.
         */
        ByteChannel await() throws IOException;

        /**
         * Opens the end only if that needs no wait (the other end is open now); never blocks.
         * A virtual thread calls this before it hands {@link #await()} to a platform thread.
         *
         * @return the end, verified as {@link #await()}'s, or null if opening it would wait
         */
        default ByteChannel openIfReady() throws IOException {
            return null;
        }

        /**
         * Opens the opposite end without blocking so that {@link #await()} returns (or never
         * blocks, if it has not started yet). The returned handle must be closed once
         * {@code await()} has returned.
         */
        Closeable wakeUp() throws IOException;

        /** Releases what {@link FifoBackend#prepareOpen} acquired; never the opened channel. */
        @Override
        void close();
    }

    private static final class Holder {
        static final FifoBackend INSTANCE = select();
    }

    private static FifoBackend select() {
        String forced = System.getProperty("tempfifo.backend", "");
        if (forced.equals("portable")) {
            return new PortableBackend();
        }
        String reason;
        // Logged only where the user can act on it: on 22+ without native access, one line
        // saying how to enable it. Where there is no choice (Java 17-21, an unsupported
        // platform), the same line at DEBUG, so that every run of every program is not told.
        Level level = Level.DEBUG;
        int feature = Runtime.version().feature();
        if (feature < 22) {
            reason = "Java " + feature + " has no Foreign Function & Memory API; run on Java 22 or newer"
                    + " with --enable-native-access=" + moduleOrAllUnnamed();
        } else {
            MethodHandle create;
            try {
                // Package-private, found through this class's lookup (as Lucene loads its
                // PosixNativeAccess): nothing of the FFM backend is public.
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                create = lookup.findStatic(lookup.findClass("io.github.tempfifo.internal.FfmBackend"), "create",
                        MethodType.methodType(FifoBackend.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("tempfifo's FFM backend is missing from the jar", e);
            }
            try {
                return (FifoBackend) create.invokeExact();
            } catch (Throwable cause) {
                if (forced.equals("ffm")) {
                    throw new IllegalStateException("tempfifo.backend=ffm but the FFM backend can't be used", cause);
                }
                reason = cause.getMessage();
                if (cause instanceof IllegalCallerException) { // native access not enabled: the user can
                    level = Level.WARNING;
                }
            }
        }
        if (forced.equals("ffm")) {
            throw new IllegalStateException("tempfifo.backend=ffm but " + reason);
        }
        LOG.log(level, "tempfifo uses its portable backend (one mkfifo process per batch of FIFOs, pure-Java opens): "
                + reason);
        return new PortableBackend();
    }

    /** The value to give {@code --enable-native-access} for this code. */
    public static String moduleOrAllUnnamed() {
        Module module = FifoBackend.class.getModule();
        return module.isNamed() ? module.getName() : "ALL-UNNAMED";
    }

    /** A {@link System.Logger} that asks {@link System#getLogger} for the real one when first used. */
    private static final class LazyLogger implements System.Logger {
        private final String name;
        private volatile System.Logger delegate;

        LazyLogger(String name) {
            this.name = name;
        }

        private System.Logger delegate() {
            System.Logger d = delegate;
            if (d == null) {
                delegate = d = System.getLogger(name);
            }
            return d;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return delegate().isLoggable(level);
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            delegate().log(level, bundle, msg, thrown);
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            delegate().log(level, bundle, format, params);
        }
    }
}
