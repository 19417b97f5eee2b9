package io.github.tempfifo.internal.ffm;

import io.github.tempfifo.internal.BaseDirectory;
import io.github.tempfifo.internal.FifoBackend;
import io.github.tempfifo.internal.FileStat;
import io.github.tempfifo.internal.Umask;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * System calls through the Foreign Function &amp; Memory API (Java 22+, Linux on x86_64 and
 * aarch64). Loaded by name from {@link FifoBackend} only on Java 22+.
 *
 * <p>An open first takes an {@code O_PATH} handle on the FIFO (never blocks, never follows a
 * link) and checks with {@code statx} that it is a FIFO; the blocking open then goes through
 * {@code /proc/self/fd/N}, so it opens exactly the inode checked, and the wake-up can reach it
 * even after the name was removed.
 */
public final class FfmBackend extends FifoBackend {
    /** Java encodes file names with this charset; so must we, to name the same files. */
    static final Charset PATH_CHARSET = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private FfmBackend() {
    }

    /**
     * @return the backend
     * @throws IllegalCallerException        if native access is not enabled for this code, saying how
     * @throws UnsupportedOperationException if the platform is not supported, saying why
     */
    public static FfmBackend create() {
        if (!FfmBackend.class.getModule().isNativeAccessEnabled()) {
            throw new IllegalCallerException("native access is not enabled; run java with --enable-native-access="
                    + moduleOrAllUnnamed() + " for the faster FFM backend");
        }
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            throw new UnsupportedOperationException("the FFM backend supports Linux on x86_64 and aarch64, not " + os + " on " + arch);
        }
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            throw new UnsupportedOperationException("the FFM backend needs /proc, which is not mounted");
        }
        try {
            java.util.Objects.requireNonNull(Libc.OPEN); // link now: fail here, not on first use
            // Load the error path now: loading a class may need a file descriptor, and the error
            // to report may be "Too many open files" (EMFILE), which would become a NoClassDefFoundError.
            java.util.Objects.requireNonNull(Errno.exception(Libc.EEXIST, Path.of("")));
        } catch (ExceptionInInitializerError e) {
            throw new UnsupportedOperationException("the FFM backend could not link to the C library: " + e.getCause(), e);
        }
        return new FfmBackend();
    }

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public void createPrivateDirectory(Path dir) throws IOException {
        try (NativeCall call = NativeCall.begin()) {
            MemorySegment errno = call.errno();
            MemorySegment path = call.path(dir);
            check((int) Libc.MKDIR.invokeExact(errno, path, 0700), errno, dir);
            if (Umask.mayNarrow(0700)) {
                check((int) Libc.CHMOD.invokeExact(errno, path, 0700), errno, dir);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public void createFifo(Path fifo) throws IOException {
        try (NativeCall call = NativeCall.begin()) {
            MemorySegment errno = call.errno();
            MemorySegment path = call.path(fifo);
            check((int) Libc.MKFIFO.invokeExact(errno, path, 0600), errno, fifo);
            if (Umask.mayNarrow(0600)) {
                // mkfifo made it in our private directory: the name can't have been swapped for a link
                check((int) Libc.CHMOD.invokeExact(errno, path, 0600), errno, fifo);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public FileStat stat(Path path, boolean followLinks) throws IOException {
        try (NativeCall call = NativeCall.begin()) {
            MemorySegment errno = call.errno();
            MemorySegment buf = call.statx();
            int r = (int) Libc.STATX.invokeExact(errno, Libc.AT_FDCWD, call.path(path),
                    followLinks ? 0 : Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_TYPE | Libc.STATX_MODE | Libc.STATX_UID, buf);
            check(r, errno, path);
            return statOf(buf);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static FileStat statOf(MemorySegment statx) {
        return new FileStat(Short.toUnsignedInt(statx.get(JAVA_SHORT, Libc.STATX_MODE_OFFSET)),
                statx.get(JAVA_INT, Libc.STATX_UID_OFFSET));
    }

    @Override
    public void deleteFifo(Path fifo) throws IOException {
        pathCall(Libc.UNLINK, fifo);
    }

    @Override
    public void deleteDirectory(Path dir) throws IOException {
        pathCall(Libc.RMDIR, dir);
    }

    private static void pathCall(java.lang.invoke.MethodHandle handle, Path path) throws IOException {
        try (NativeCall call = NativeCall.begin()) {
            MemorySegment errno = call.errno();
            check((int) handle.invokeExact(errno, call.path(path)), errno, path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public PendingOpen prepareOpen(Path fifo, boolean write, int pipeCapacity) throws IOException {
        int handle = open(fifo, fifo.toString(), Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC);
        try {
            FileStat st = fstat(handle, fifo);
            if (!st.isFifo()) {
                throw new FileSystemException(fifo.toString(), null,
                        (st.mode() & FileStat.S_IFMT) == FileStat.S_IFLNK ? "is a symbolic link, which tempfifo never follows" : "not a FIFO");
            }
            BaseDirectory.requireOurs(st, fifo);
        } catch (IOException | RuntimeException e) {
            closeFd(handle);
            throw e;
        }
        return new PendingOpen() {
            private final String reopen = "/proc/self/fd/" + handle;

            @Override
            public ByteChannel await() throws IOException {
                int fd = open(fifo, reopen, (write ? Libc.O_WRONLY : Libc.O_RDONLY) | Libc.O_CLOEXEC);
                try {
                    // Non-blocking from here on: reads and writes wait in poll(2), which close() can end.
                    int flags = fcntl(fd, Libc.F_GETFL, 0, fifo);
                    fcntl(fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK, fifo);
                    if (pipeCapacity > 0) {
                        try {
                            fcntl(fd, Libc.F_SETPIPE_SZ, pipeCapacity, fifo);
                        } catch (IOException refused) {
                            // over pipe-max-size or the per-user limit: keep the current size
                        }
                    }
                    return new FdChannel(fd, write);
                } catch (IOException | RuntimeException e) {
                    closeFd(fd);
                    throw e;
                }
            }

            @Override
            public Closeable wakeUp() throws IOException {
                int fd = open(fifo, reopen, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
                return () -> closeFd(fd);
            }

            @Override
            public void close() {
                closeFd(handle);
            }
        };
    }

    /**
     * On the FFM path a file goes into a FIFO by {@code splice(2)} (zero-copy), or, from a
     * source the kernel can't splice from, by a plain read/write copy.
     */
    @Override
    public FileSource openSource(Path file) throws IOException {
        int fd = open(file, file.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        return new FileSource() {
            private String method = "splice";

            @Override
            public long transferTo(WritableByteChannel fifoEnd) throws IOException {
                if (fifoEnd instanceof FdChannel pipe) {
                    long n = pipe.spliceFrom(fd);
                    if (n >= 0) {
                        method = "splice";
                        return n;
                    }
                }
                method = "read/write";
                return copy(fd, fifoEnd);
            }

            @Override
            public String method() {
                return method;
            }

            @Override
            public void close() {
                closeFd(fd);
            }
        };
    }

    /** Copies from {@code fd} to its end into {@code target}, through a heap buffer. */
    private static long copy(int fd, WritableByteChannel target) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        MemorySegment segment = MemorySegment.ofBuffer(buf);
        long total = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.allocateErrno(arena);
            MemorySegment buffer = arena.allocate(buf.capacity());
            for (;;) {
                long n = (long) Libc.BLOCKING_READ.invokeExact(errno, fd, buffer, (long) buf.capacity());
                if (n == 0) {
                    return total;
                }
                if (n < 0) {
                    if (Libc.errno(errno) == Libc.EINTR) {
                        continue;
                    }
                    throw Errno.exception(Libc.errno(errno));
                }
                segment.copyFrom(buffer.asSlice(0, n));
                buf.clear().limit((int) n);
                while (buf.hasRemaining()) {
                    target.write(buf);
                }
                buf.clear();
                total += n;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** open(2), retried on EINTR; {@code name} is what to open, {@code path} what to report. */
    private static int open(Path path, String name, int flags) throws IOException {
        try (NativeCall call = NativeCall.begin()) {
            MemorySegment errno = call.errno();
            MemorySegment cName = call.string(name);
            for (;;) {
                int fd = (int) Libc.OPEN.invokeExact(errno, cName, flags, 0);
                if (fd >= 0) {
                    return fd;
                }
                if (Libc.errno(errno) != Libc.EINTR) {
                    throw Errno.exception(Libc.errno(errno), path);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static FileStat fstat(int fd, Path path) throws IOException {
        try (NativeCall call = NativeCall.begin()) {
            MemorySegment errno = call.errno();
            MemorySegment buf = call.statx();
            int r = (int) Libc.STATX.invokeExact(errno, fd, call.string(""), Libc.AT_EMPTY_PATH | Libc.AT_SYMLINK_NOFOLLOW,
                    Libc.STATX_TYPE | Libc.STATX_MODE | Libc.STATX_UID, buf);
            check(r, errno, path);
            return statOf(buf);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static int fcntl(int fd, int cmd, int arg, Path path) throws IOException {
        try (NativeCall call = NativeCall.begin()) {
            MemorySegment errno = call.errno();
            int r = (int) Libc.FCNTL.invokeExact(errno, fd, cmd, arg);
            check(r, errno, path);
            return r;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void closeFd(int fd) {
        try (NativeCall call = NativeCall.begin()) {
            // close(2) releases the descriptor even when it reports an error: never retry.
            int ignored = (int) Libc.CLOSE.invokeExact(call.errno(), fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static void check(int result, MemorySegment errno, Path path) throws IOException {
        if (result < 0) {
            throw Errno.exception(Libc.errno(errno), path);
        }
    }
}
