package io.github.tempfifo.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The C library functions tempfifo calls, as static final method handles (constant-folded by the
 * JIT), each in a holder class of its own so that it is linked on first use. Each returns -1 and
 * sets errno on failure; errno is captured right after the call, into a segment the caller passes
 * first, before the JVM can overwrite it.
 *
 * <p>Linux only: the constants below are those of x86_64 and aarch64.
 */
final class Libc {
    static final boolean AARCH64 = System.getProperty("os.arch").equals("aarch64");

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    static final int O_PATH = 010000000;
    static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;

    static final int F_SETFL = 4;
    static final int F_SETPIPE_SZ = 1031;
    static final int F_GETPIPE_SZ = 1032;

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int AT_REMOVEDIR = 0x200;
    static final int STATX_TYPE = 0x1;
    static final int STATX_MODE = 0x2;
    static final int STATX_UID = 0x8;
    static final int STATX_INO = 0x100;
    /** What every statx asks for: type, mode, owner, and identity (device, inode). */
    static final int STATX_WANTED = STATX_TYPE | STATX_MODE | STATX_UID | STATX_INO;
    static final long STATX_SIZE = 256;
    static final long STATX_UID_OFFSET = 20;
    static final long STATX_MODE_OFFSET = 28;
    static final long STATX_INO_OFFSET = 32;
    static final long STATX_DEV_MAJOR_OFFSET = 136;
    static final long STATX_DEV_MINOR_OFFSET = 140;

    static final int EFD_NONBLOCK = 04000;
    static final int EFD_CLOEXEC = 02000000;

    static final int SPLICE_F_MOVE = 1;
    static final int SPLICE_F_NONBLOCK = 2;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ENXIO = 6;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int ENOTDIR = 20;
    static final int ELOOP = 40;
    static final int ENODATA = 61;
    static final int EOPNOTSUPP = 95;
    static final int ENAMETOOLONG = 36;
    /** Bytes in a path, its NUL included. */
    static final int PATH_MAX = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // One descriptor per C signature, shared by the functions that have it: the linker makes one
    // stub per descriptor and options, so mkdirat, mkfifoat and unlinkat share theirs (the *at
    // forms with AT_FDCWD, not mkdir, mkfifo, unlink and rmdir: one signature for all four).
    private static final FunctionDescriptor INT_FD_PATH_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor INT_PATH_INT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor INT_INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor SSIZE_FD_BUFFER_SIZE = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);

    // Each handle lives in a holder class of its own, linked when first used: linking costs a
    // fresh JVM milliseconds per C signature, and a program that creates and closes a FIFO never
    // needs open, poll or splice.

    static final class Mkdirat {
        static final MethodHandle HANDLE = downcall("mkdirat", INT_FD_PATH_INT);
    }

    static final class Mkfifoat {
        static final MethodHandle HANDLE = downcall("mkfifoat", INT_FD_PATH_INT);
    }

    /** unlinkat(2): a file, or with {@link #AT_REMOVEDIR} an empty directory. */
    static final class Unlinkat {
        static final MethodHandle HANDLE = downcall("unlinkat", INT_FD_PATH_INT);
    }

    /** openat(2): the private directory's entries, relative to its held descriptor. */
    static final class Openat {
        static final MethodHandle HANDLE = downcall("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3));
    }

    /** fchmodat(2), only when the umask narrowed a mode. */
    static final class Fchmodat {
        static final MethodHandle HANDLE = downcall("fchmodat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }

    static final class Chmod {
        static final MethodHandle HANDLE = downcall("chmod", INT_PATH_INT);
    }

    static final class Open {
        static final MethodHandle HANDLE = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }

    static final class Close {
        static final MethodHandle HANDLE = downcall("close", INT_INT);
    }

    static final class Fcntl {
        static final MethodHandle HANDLE = downcall("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }

    static final class Statx {
        static final MethodHandle HANDLE = downcall("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    }

    static final class Eventfd {
        static final MethodHandle HANDLE = downcall("eventfd", INT_INT_INT);
    }

    static final class Poll {
        static final MethodHandle HANDLE = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    static final class EpollCreate1 {
        static final MethodHandle HANDLE = downcall("epoll_create1", INT_INT);
    }

    static final class EpollCtl {
        static final MethodHandle HANDLE = downcall("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** Blocks: only the poller's own platform thread calls it. */
    static final class EpollWait {
        static final MethodHandle HANDLE = downcall("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }

    /** read(2) that may block (a file, which may wait for the disk): not critical, native buffers only. */
    static final class BlockingRead {
        static final MethodHandle HANDLE = downcall("read", SSIZE_FD_BUFFER_SIZE);
    }

    /** May wait for the disk (reading the source file): not critical. */
    static final class Splice {
        static final MethodHandle HANDLE = downcall("splice",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    /** read/write on non-blocking descriptors never block, so they may touch the Java heap directly. */
    static final class Read {
        static final MethodHandle HANDLE = downcall("read", SSIZE_FD_BUFFER_SIZE, Linker.Option.critical(true));
    }

    static final class Write {
        static final MethodHandle HANDLE = downcall("write", SSIZE_FD_BUFFER_SIZE, Linker.Option.critical(true));
    }

    /**
     * Links the handles that opens and the channels use, and strerror's. Called before the first
     * open, while descriptors are still free: loading a class may need one (from a class
     * directory), and the error to report may be "Too many open files".
     */
    static void linkForOpens() {
        OpensLinked.touch();
    }

    private static final class OpensLinked {
        static {
            java.util.Objects.requireNonNull(Open.HANDLE);
            java.util.Objects.requireNonNull(Openat.HANDLE);
            java.util.Objects.requireNonNull(Close.HANDLE);
            java.util.Objects.requireNonNull(Fcntl.HANDLE);
            java.util.Objects.requireNonNull(Eventfd.HANDLE);
            java.util.Objects.requireNonNull(Poll.HANDLE);
            java.util.Objects.requireNonNull(Read.HANDLE);
            java.util.Objects.requireNonNull(Write.HANDLE);
            java.util.Objects.requireNonNull(Strerror.HANDLE);
            strerror(EINTR); // its first call, too
        }

        static void touch() {
        }
    }

    /** Never follow a link: on a symbolic link, system.posix_acl_access is refused (EPERM). */
    static final class Lsetxattr {
        static final MethodHandle HANDLE = downcall("lsetxattr",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    static final class Lgetxattr {
        static final MethodHandle HANDLE = downcall("lgetxattr",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    }

    private static final class Strerror {
        static final MethodHandle HANDLE = LINKER.downcallHandle(symbol("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /** struct pollfd { int fd; short events; short revents; } */
    static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));

    private Libc() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol(name), descriptor, options);
    }

    private static MemorySegment symbol(String name) {
        java.util.Optional<MemorySegment> symbol = LINKER.defaultLookup().find(name);
        if (symbol.isEmpty()) { // not orElseThrow(lambda): a lambda costs the first call a class spun at run time
            throw new UnsupportedOperationException("the C library has no " + name + "()");
        }
        return symbol.get();
    }

    /** @return a segment to pass as the first argument of the handles above */
    static MemorySegment allocateErrno(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
            return message.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
