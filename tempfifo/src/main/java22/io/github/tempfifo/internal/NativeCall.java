package io.github.tempfifo.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.Charset;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Native memory for the arguments of one system call: errno capture, a C string, a statx buffer.
 *
 * <p>A platform thread reuses one block of its own (no allocation, no zeroing, no free per call:
 * a create+close makes five calls). A nested use on the same thread, and any use on a virtual
 * thread (which may be many and short-lived), get a fresh confined arena instead. Close it when
 * the call is done: {@code try (NativeCall call = NativeCall.begin()) {…}}, or, for the usual
 * case, let {@link #run(Path, Body)} do that and the error handling.
 */
final class NativeCall implements AutoCloseable {
    /** PATH_MAX and its NUL: longer names get their own allocation (and the kernel's ENAMETOOLONG). */
    private static final long TEXT_BYTES = 4096 + 1;
    private static final ThreadLocal<NativeCall> CACHED = new ThreadLocal<>();

    private final Arena oneShot; // null for a thread's reused block
    private final MemorySegment errno;
    private final MemorySegment statx;
    private final MemorySegment text;
    private Arena overflow;
    private boolean inUse;

    private NativeCall(Arena arena, boolean oneShot) {
        this.oneShot = oneShot ? arena : null;
        this.errno = Libc.allocateErrno(arena);
        this.statx = arena.allocate(Libc.STATX_SIZE, 8);
        this.text = oneShot ? null : arena.allocate(TEXT_BYTES);
    }

    /** One or more downcalls on a call's memory; {@link #check(int)} turns a failure into an {@link ErrnoException}. */
    @FunctionalInterface
    interface Body<T> {
        T run(NativeCall call) throws Throwable; // MethodHandle.invokeExact declares Throwable
    }

    /**
     * Runs {@code body} on this thread's call memory: the one place that turns a failed call into
     * the exception a caller sees (an {@link ErrnoException} into the NIO type naming
     * {@code path}, or a plain {@link IOException} when {@code path} is null) and a
     * {@code Throwable} that a downcall can't throw into an {@link AssertionError}.
     */
    static <T> T run(Path path, Body<T> body) throws IOException {
        try (NativeCall call = begin()) {
            return body.run(call);
        } catch (ErrnoException e) {
            throw e.translate(path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static NativeCall begin() {
        if (!Thread.currentThread().isVirtual()) {
            NativeCall cached = CACHED.get();
            if (cached == null) {
                cached = new NativeCall(Arena.ofAuto(), false); // freed with the thread
                CACHED.set(cached);
            }
            if (!cached.inUse) {
                cached.inUse = true;
                return cached;
            }
        }
        return new NativeCall(Arena.ofConfined(), true);
    }

    /** @return where to capture errno; pass it first to the {@link Libc} handles */
    MemorySegment errno() {
        return errno;
    }

    /** @return the errno the last call through {@link #errno()} captured */
    int lastErrno() {
        return Libc.errno(errno);
    }

    /**
     * @return {@code result}, if the call succeeded (not negative)
     * @throws ErrnoException with the captured errno, if it failed
     */
    int check(int result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(lastErrno());
        }
        return result;
    }

    /** As {@link #check(int)}, for calls returning {@code ssize_t}. */
    long check(long result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(lastErrno());
        }
        return result;
    }

    /** @return a buffer for one {@code struct statx} (not zeroed) */
    MemorySegment statx() {
        return statx;
    }

    /** @return {@code path} as a NUL-terminated C string, encoded as Java encodes file names */
    MemorySegment path(Path path) {
        return string(path.toString());
    }

    /** @return {@code s} as a NUL-terminated C string, valid until {@link #close()} */
    MemorySegment string(String s) {
        Charset charset = FfmBackend.PATH_CHARSET;
        if (text != null) {
            byte[] bytes = s.getBytes(charset);
            if (bytes.length < TEXT_BYTES) {
                MemorySegment.copy(bytes, 0, text, JAVA_BYTE, 0, bytes.length);
                text.set(JAVA_BYTE, bytes.length, (byte) 0);
                return text;
            }
        }
        if (oneShot != null) {
            return oneShot.allocateFrom(s, charset);
        }
        if (overflow == null) {
            overflow = Arena.ofConfined();
        }
        return overflow.allocateFrom(s, charset);
    }

    @Override
    public void close() {
        if (oneShot != null) {
            oneShot.close();
            return;
        }
        if (overflow != null) {
            overflow.close();
            overflow = null;
        }
        inUse = false;
    }
}
