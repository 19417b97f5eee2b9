// Over 400 lines, on purpose: it is one backend, one method per FifoBackend operation, each a
// short sequence of system calls with its own checks (the security model's dir-fd-relative
// create, open and delete); the bindings are in Libc, the call-and-errno pattern in NativeCall,
// the held directory in FfmPrivateDirectory, reads and writes in FdChannel.
package io.github.tempfifo.internal;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.channels.ByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * System calls through the Foreign Function &amp; Memory API (Java 22+, Linux on x86_64 and
 * aarch64). Package-private: {@link FifoBackend} loads it through its {@code MethodHandles.Lookup},
 * and only on Java 22+.
 *
 * <p>An open first takes an {@code O_PATH} handle on the FIFO (never blocks, never follows a
 * link) and checks with {@code statx} that it is a FIFO; the blocking open then goes through
 * {@code /proc/self/fd/N}, so it opens exactly the inode checked, and the wake-up can reach it
 * even after the name was removed.
 */
final class FfmBackend extends FifoBackend {
    /** Java encodes file names with this charset; so must we, to name the same files. */
    static final Charset PATH_CHARSET = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private FfmBackend() {
    }

    /**
     * @return the backend
     * @throws IllegalCallerException        if native access is not enabled for this code, saying how
     * @throws UnsupportedOperationException if the platform is not supported, saying why
     */
    static FifoBackend create() {
        if (!FfmBackend.class.getModule().isNativeAccessEnabled()) {
            throw new IllegalCallerException("native access is not enabled; run java with --enable-native-access="
                    + moduleOrAllUnnamed() + " for the FFM backend (no mkfifo process per FIFO, faster opens, reads"
                    + " and writes; a program that only creates and removes one FIFO gains nothing)");
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
            // Link one handle now, the one every create needs first: a linker that can't work fails
            // here, not on first use. The others are linked when first used.
            java.util.Objects.requireNonNull(Libc.Statx.HANDLE);
            // Load the error path now: loading a class may need a file descriptor, and the error
            // to report may be "Too many open files" (EMFILE), which would become a NoClassDefFoundError.
            java.util.Objects.requireNonNull(new ErrnoException(Libc.EEXIST).translate(Path.of("")));
        } catch (ExceptionInInitializerError e) {
            throw new UnsupportedOperationException("the FFM backend could not link to the C library: " + e.getCause(), e);
        }
        return new FfmBackend();
    }

    @Override
    public boolean isNative() {
        return true;
    }

    /**
     * {@code mkdir} by path (the base's whole path was checked: only root or this user can
     * redirect it), then the directory is held by an {@code O_PATH | O_DIRECTORY | O_NOFOLLOW}
     * descriptor and checked through it to be what {@code mkdir} just made.
     */
    @Override
    public PrivateDirectory createPrivateDirectory(Path dir) throws IOException {
        int fd = NativeCall.run(dir, call -> {
            MemorySegment path = call.path(dir);
            call.check((int) Libc.Mkdirat.HANDLE.invokeExact(call.errno(), Libc.AT_FDCWD, path, 0700));
            try {
                if (Umask.mayNarrow(0700)) {
                    call.check((int) Libc.Chmod.HANDLE.invokeExact(call.errno(), path, 0700));
                }
                return call.check((int) Libc.Open.HANDLE.invokeExact(call.errno(), path,
                        Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0));
            } catch (Throwable e) {
                // nothing holds it yet, and only root or this user could have put anything else there
                int ignored = (int) Libc.Unlinkat.HANDLE.invokeExact(call.errno(), Libc.AT_FDCWD, path, Libc.AT_REMOVEDIR);
                throw e;
            }
        });
        try {
            FileStat st = fstat(fd, dir);
            if (!st.isDirectory() || st.permissions() != 0700 || (BaseDirectory.UID >= 0 && st.uid() != BaseDirectory.UID)) {
                throw new FileSystemException(dir.toString(), null, String.format(
                        "not the directory tempfifo just made (owner uid %d, mode %04o): its path was redirected; left alone",
                        st.uid(), st.permissions()));
            }
            return new FfmPrivateDirectory(dir, fd, st);
        } catch (IOException | RuntimeException | Error e) {
            closeFd(fd);
            throw e;
        }
    }

    /** {@code mkfifoat} in the held directory (and {@code fchmodat} if the umask narrowed the mode). */
    @Override
    public void createFifo(PrivateDirectory directory, String name) throws IOException {
        FfmPrivateDirectory dir = (FfmPrivateDirectory) directory;
        Path fifo = dir.path().resolve(name);
        if (fifo.toString().getBytes(PATH_CHARSET).length >= Libc.PATH_MAX) {
            // mkfifoat would make it, but no other process could open it by that path
            throw new ErrnoException(Libc.ENAMETOOLONG).translate(fifo);
        }
        int dirFd = dir.acquire();
        try {
            NativeCall.run(fifo, call -> {
                MemorySegment cName = call.string(name);
                call.check((int) Libc.Mkfifoat.HANDLE.invokeExact(call.errno(), dirFd, cName, 0600));
                if (Umask.mayNarrow(0600)) {
                    // made just now in our private directory: the name can't have been swapped for a link
                    call.check((int) Libc.Fchmodat.HANDLE.invokeExact(call.errno(), dirFd, cName, 0600, 0));
                }
                return null;
            });
        } finally {
            dir.release();
        }
    }

    @Override
    public void createFifo(Path fifo) throws IOException {
        makeNode(Libc.Mkfifoat.HANDLE, fifo, 0600);
    }

    /**
     * {@code mkfifoat(2)} ({@code make}, relative to the working directory for a relative path)
     * of {@code path} with mode exactly {@code mode}, whatever the umask.
     */
    private static void makeNode(MethodHandle make, Path path, int mode) throws IOException {
        NativeCall.run(path, call -> {
            MemorySegment cPath = call.path(path);
            call.check((int) make.invokeExact(call.errno(), Libc.AT_FDCWD, cPath, mode));
            if (Umask.mayNarrow(mode)) {
                call.check((int) Libc.Chmod.HANDLE.invokeExact(call.errno(), cPath, mode));
            }
            return null;
        });
    }

    @Override
    public void deleteFifo(PrivateDirectory directory, String name) throws IOException {
        FfmPrivateDirectory dir = (FfmPrivateDirectory) directory;
        int dirFd = dir.acquire();
        try {
            unlinkat(dirFd, name, 0, dir.path().resolve(name));
        } finally {
            dir.release();
        }
    }

    /**
     * Removes our directory, never another: by path when {@code statx} of the path shows our
     * directory (device and inode) there; otherwise (it was moved, or the path leads elsewhere)
     * {@code unlinkat(.., NAME, AT_REMOVEDIR)} in the directory that holds ours now (its
     * {@code ..}), after {@code statx} there shows NAME to be ours. NAME is the name it was made
     * with or, if it was renamed, its name now (from {@code /proc/self/fd}). The usual case
     * needs no new descriptor (close() works at the descriptor limit) and two system calls.
     */
    @Override
    public void deleteDirectory(PrivateDirectory directory) throws IOException {
        FfmPrivateDirectory dir = (FfmPrivateDirectory) directory;
        Path path = dir.path();
        if (isOurs(Libc.AT_FDCWD, path.toString(), dir)) {
            // between the check and rmdir only someone who may rename a directory on the path
            // (after BaseDirectory's check: root or this user) could swap it
            unlinkat(Libc.AT_FDCWD, path.toString(), Libc.AT_REMOVEDIR, path);
            return;
        }
        int dirFd = dir.acquire();
        try {
            // ENOENT: ours was removed already (".." of a removed directory does not resolve)
            int parent = openat(dirFd, "..", Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, path);
            try {
                String name = path.getFileName().toString();
                if (!isOurs(parent, name, dir)) {
                    name = currentName(dirFd, dir);
                    if (!isOurs(parent, name, dir)) {
                        throw new FileSystemException(path.toString(), null, "moved away and can't be found; not removed");
                    }
                }
                unlinkat(parent, name, Libc.AT_REMOVEDIR, path);
            } finally {
                closeFd(parent);
            }
        } finally {
            dir.release();
        }
    }

    private static boolean isOurs(int parent, String name, FfmPrivateDirectory dir) throws IOException {
        try {
            return statAt(parent, name, dir.path()).sameFile(dir.stat);
        } catch (IOException e) { // gone, or a component is no longer a directory: not ours there
            return false;
        }
    }

    /** The name our directory has now, if it was renamed (by root or this user) and still exists. */
    private static String currentName(int dirFd, FfmPrivateDirectory dir) throws IOException {
        Path now;
        try {
            now = Files.readSymbolicLink(Path.of("/proc/self/fd/" + dirFd));
        } catch (IOException e) {
            throw new FileSystemException(dir.path().toString(), null, "moved away and can't be found; not removed");
        }
        if (now.toString().endsWith(" (deleted)") || now.getFileName() == null) {
            throw new NoSuchFileException(dir.path().toString());
        }
        // only the name is used, in the directory the kernel says holds ours (its "..")
        return now.getFileName().toString();
    }

    @Override
    public FileStat stat(Path path, boolean followLinks) throws IOException {
        return NativeCall.run(path, call -> statx(call, Libc.AT_FDCWD, call.path(path), followLinks ? 0 : Libc.AT_SYMLINK_NOFOLLOW));
    }

    private static FileStat fstat(int fd, Path path) throws IOException {
        return NativeCall.run(path, call -> statx(call, fd, call.string(""), Libc.AT_EMPTY_PATH | Libc.AT_SYMLINK_NOFOLLOW));
    }

    private static FileStat statx(NativeCall call, int dirFd, MemorySegment path, int flags) throws Throwable {
        MemorySegment buf = call.statx();
        call.check((int) Libc.Statx.HANDLE.invokeExact(call.errno(), dirFd, path, flags, Libc.STATX_WANTED, buf));
        long dev = ((long) buf.get(JAVA_INT, Libc.STATX_DEV_MAJOR_OFFSET) << 32)
                | Integer.toUnsignedLong(buf.get(JAVA_INT, Libc.STATX_DEV_MINOR_OFFSET));
        return new FileStat(Short.toUnsignedInt(buf.get(JAVA_SHORT, Libc.STATX_MODE_OFFSET)),
                buf.get(JAVA_INT, Libc.STATX_UID_OFFSET), dev, buf.get(JAVA_LONG, Libc.STATX_INO_OFFSET));
    }

    @Override
    public void deleteFifo(Path fifo) throws IOException {
        unlinkat(Libc.AT_FDCWD, fifo.toString(), 0, fifo);
    }

    @Override
    public void deleteDirectory(Path dir) throws IOException {
        unlinkat(Libc.AT_FDCWD, dir.toString(), Libc.AT_REMOVEDIR, dir);
    }

    /**
     * {@code lsetxattr(2)} of {@code system.posix_acl_access}, the binary form built by
     * {@link PosixAcl#toXattr()}: no program to run. By path, not by the O_PATH descriptor
     * ({@code fsetxattr} refuses those): see {@link Sharing} for why the path is safe.
     */
    @Override
    public void setAccessAcl(Path path, PosixAcl acl) throws IOException {
        byte[] value = acl.toXattr();
        NativeCall.run(path, call -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, value);
                int r = (int) Libc.Lsetxattr.HANDLE.invokeExact(call.errno(), call.path(path), arena.allocateFrom(ACL_XATTR), buf,
                        (long) value.length, 0);
                if (r < 0 && call.lastErrno() == Libc.EOPNOTSUPP) {
                    throw Sharing.noAcls(path);
                }
                return call.check(r);
            }
        });
    }

    @Override
    public boolean hasAccessAcl(Path path) throws IOException {
        return NativeCall.run(path, call -> {
            try (Arena arena = Arena.ofConfined()) {
                long n = (long) Libc.Lgetxattr.HANDLE.invokeExact(call.errno(), call.path(path), arena.allocateFrom(ACL_XATTR),
                        MemorySegment.NULL, 0L);
                if (n < 0 && (call.lastErrno() == Libc.ENODATA || call.lastErrno() == Libc.EOPNOTSUPP)) {
                    return false;
                }
                return call.check(n) > 0;
            }
        });
    }

    private static final String ACL_XATTR = "system.posix_acl_access";

    @Override
    public PendingOpen prepareOpen(PrivateDirectory directory, Path fifo, boolean write, int pipeCapacity) throws IOException {
        Libc.linkForOpens();
        FfmPrivateDirectory dir = (FfmPrivateDirectory) directory;
        int handle;
        int dirFd = dir.acquire();
        try {
            handle = openat(dirFd, fifo.getFileName().toString(), Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, fifo);
        } finally {
            dir.release();
        }
        try {
            FileStat st = fstat(handle, fifo);
            st.requireFifo(fifo);
            BaseDirectory.requireOurs(st, fifo);
            requirePathLeadsTo(fifo, st);
        } catch (IOException | RuntimeException e) {
            closeFd(handle);
            throw e;
        }
        return new PendingOpen() {
            private final String reopen = "/proc/self/fd/" + handle;

            @Override
            public ByteChannel await() throws IOException {
                return channel(open(fifo, reopen, (write ? Libc.O_WRONLY : Libc.O_RDONLY) | Libc.O_CLOEXEC), false);
            }

            @Override
            public ByteChannel openIfReady() throws IOException {
                if (!write) {
                    // O_NONBLOCK opens a read end at once, but nothing then tells when a writer
                    // opens (only its data or its close can be polled): the read end waits in open(2).
                    return null;
                }
                int fd = tryOpen(fifo, reopen, Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
                return fd < 0 ? null : channel(fd, true);
            }

            private ByteChannel channel(int fd, boolean nonBlocking) throws IOException {
                try {
                    if (!nonBlocking) {
                        // Non-blocking from here on: reads and writes wait in poll(2) or the poller, which close() can end.
                        // F_SETFL changes only O_APPEND/O_ASYNC/O_DIRECT/O_NOATIME/O_NONBLOCK, none of which the open set
                        fcntl(fd, Libc.F_SETFL, Libc.O_NONBLOCK, fifo);
                    }
                    if (pipeCapacity > 0) {
                        try {
                            fcntl(fd, Libc.F_SETPIPE_SZ, pipeCapacity, fifo);
                        } catch (IOException refused) {
                            // over pipe-max-size or the per-user limit: keep the current size
                        }
                    }
                    return new FdChannel(fd, write, pipeCapacity == 0);
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
        Libc.linkForOpens();
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
                return copy(fd, file, fifoEnd);
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

    /** Copies from {@code fd} (the file {@code path}) to its end into {@code target}, through a native buffer. */
    private static long copy(int fd, Path path, WritableByteChannel target) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Copy.BUFFER_SIZE);
            return Copy.copy((bytes, offset, length) -> {
                long n = NativeCall.run(path, call -> {
                    for (;;) { // read(2) that may block: not critical, so into native memory
                        long r = (long) Libc.BlockingRead.HANDLE.invokeExact(call.errno(), fd, buffer, (long) length);
                        if (r >= 0 || call.lastErrno() != Libc.EINTR) {
                            return call.check(r);
                        }
                    }
                });
                MemorySegment.copy(buffer, JAVA_BYTE, 0, bytes, offset, (int) n);
                return n == 0 ? -1 : (int) n;
            }, Copy.sink(target));
        }
    }

    /**
     * The path handed out must still lead to the FIFO in our directory: if a directory on it
     * was renamed or replaced, whatever the other process opens is not ours.
     */
    private static void requirePathLeadsTo(Path fifo, FileStat ours) throws IOException {
        FileStat there;
        try {
            there = statAt(Libc.AT_FDCWD, fifo.toString(), fifo);
        } catch (IOException e) {
            there = null;
        }
        if (there == null || !there.sameFile(ours)) {
            throw new FileSystemException(fifo.toString(), null, "this path no longer leads to the FIFO tempfifo made "
                    + "(a directory on it was renamed or replaced): not opened; close() still removes the FIFO");
        }
    }

    /** openat(2) relative to {@code dirFd}, retried on EINTR; {@code path} is what to report. */
    private static int openat(int dirFd, String name, int flags, Path path) throws IOException {
        return NativeCall.run(path, call -> {
            MemorySegment cName = call.string(name);
            for (;;) {
                int fd = (int) Libc.Openat.HANDLE.invokeExact(call.errno(), dirFd, cName, flags, 0);
                if (fd >= 0 || call.lastErrno() != Libc.EINTR) {
                    return call.check(fd);
                }
            }
        });
    }

    private static void unlinkat(int dirFd, String name, int flags, Path path) throws IOException {
        NativeCall.run(path, call -> call.check((int) Libc.Unlinkat.HANDLE.invokeExact(call.errno(), dirFd, call.string(name), flags)));
    }

    /** {@code statx(dirFd, name, AT_SYMLINK_NOFOLLOW)}. */
    private static FileStat statAt(int dirFd, String name, Path path) throws IOException {
        return NativeCall.run(path, call -> statx(call, dirFd, call.string(name), Libc.AT_SYMLINK_NOFOLLOW));
    }

    /** open(2), retried on EINTR; {@code name} is what to open, {@code path} what to report. */
    private static int open(Path path, String name, int flags) throws IOException {
        return NativeCall.run(path, call -> {
            MemorySegment cName = call.string(name);
            for (;;) {
                int fd = (int) Libc.Open.HANDLE.invokeExact(call.errno(), cName, flags, 0);
                if (fd >= 0 || call.lastErrno() != Libc.EINTR) {
                    return call.check(fd);
                }
            }
        });
    }

    /** open(2) of a FIFO end with O_NONBLOCK: the descriptor, or -1 if no reader has the FIFO open (ENXIO). */
    private static int tryOpen(Path path, String name, int flags) throws IOException {
        return NativeCall.run(path, call -> {
            MemorySegment cName = call.string(name);
            for (;;) {
                int fd = (int) Libc.Open.HANDLE.invokeExact(call.errno(), cName, flags, 0);
                if (fd >= 0) {
                    return fd;
                }
                int err = call.lastErrno();
                if (err == Libc.ENXIO) {
                    return -1;
                }
                if (err != Libc.EINTR) {
                    return call.check(fd);
                }
            }
        });
    }

    private static int fcntl(int fd, int cmd, int arg, Path path) throws IOException {
        return NativeCall.run(path, call -> call.check((int) Libc.Fcntl.HANDLE.invokeExact(call.errno(), fd, cmd, arg)));
    }

    static void closeFd(int fd) {
        try {
            // close(2) releases the descriptor even when it reports an error: never retry, never report.
            NativeCall.run(null, call -> (int) Libc.Close.HANDLE.invokeExact(call.errno(), fd));
        } catch (IOException e) {
            throw new AssertionError(e); // the body checks nothing
        }
    }
}
