package io.github.tempfifo.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A blocking, interruptible channel over one end of a pipe, whose descriptor is non-blocking.
 *
 * <p>read/write never block in the kernel, so they are "critical" downcalls that read and write
 * heap buffers in place (no copy through a native buffer). When the pipe is empty (or full) the
 * thread waits in {@code poll(2)} on the pipe and on an eventfd that {@link #close()} (and so
 * {@code Thread.interrupt()}) signals: closing releases a blocked thread at once. The
 * descriptors are closed when the last thread in an operation leaves it, so a number is never
 * reused under a thread still using it.
 */
final class FdChannel extends AbstractInterruptibleChannel implements ByteChannel {
    private final int fd;
    private final boolean writable;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    private final Object stateLock = new Object();
    private int wakeFd = -1;       // eventfd, made the first time a platform thread has to wait
    private Poller poller;         // guarded by stateLock: set on a virtual thread's first wait
    private Poller.WaitBuffer pollerBuffer;
    private boolean yielded;       // a virtual thread's last wait only yielded (under readLock/writeLock)
    private int inFlight;          // threads between enter() and exit()
    private volatile boolean closing; // read by a parked thread without the lock
    private boolean released;
    private boolean mayGrow;       // write end of a pipe of the default size: grows when first found full (under writeLock)
    private long grownBytes;       // taken from PipeGrowth's budget; given back on release

    /** @param growable a write end whose pipe may grow when found full ({@link PipeGrowth}) */
    FdChannel(int fd, boolean writable, boolean growable) {
        this.fd = fd;
        this.writable = writable;
        this.mayGrow = writable && growable;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (writable) {
            throw new NonReadableChannelException();
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        readLock.lock();
        try {
            return transfer(dst, false);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!writable) {
            throw new NonWritableChannelException();
        }
        writeLock.lock();
        try {
            return transfer(src, true);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Moves bytes from {@code sourceFd} (a regular file, read from its current offset) into this
     * pipe with {@code splice(2)} until the end of the file: the kernel hands page-cache pages to
     * the pipe, with no copy through user space. Blocks (in {@code poll(2)}, released by close or
     * interrupt) while the pipe is full.
     *
     * @return the bytes moved, or -1 if the kernel can't splice from this source (nothing was
     *         moved: copy some other way)
     */
    long spliceFrom(int sourceFd) throws IOException {
        if (!writable) {
            throw new NonWritableChannelException();
        }
        writeLock.lock();
        try {
            enter();
            long total = 0;
            boolean completed = false;
            try {
                begin();
                while (isOpen()) {
                    long n = NativeCall.run(null, call -> orErrno(call, (long) Libc.Splice.HANDLE.invokeExact(call.errno(),
                            sourceFd, MemorySegment.NULL, fd, MemorySegment.NULL,
                            (long) Integer.MAX_VALUE, Libc.SPLICE_F_MOVE | Libc.SPLICE_F_NONBLOCK)));
                    int err = n < 0 ? (int) -n : 0;
                    if (n > 0) {
                        total += n;
                        continue;
                    }
                    if (n == 0) { // end of the file
                        completed = true;
                        break;
                    }
                    if (err == Libc.EAGAIN) {
                        awaitReady(Libc.POLLOUT);
                    } else if ((err == Libc.EINVAL || err == Libc.ENOSYS) && total == 0) {
                        completed = true;
                        return -1;
                    } else if (err != Libc.EINTR) {
                        throw new ErrnoException(err).translate();
                    }
                }
                return total;
            } finally {
                exit();
                end(completed);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private int transfer(ByteBuffer buf, boolean write) throws IOException {
        enter();
        int result = 0;
        boolean completed = false;
        try {
            begin();
            if (!buf.hasRemaining()) {
                completed = true;
                return 0;
            }
            MemorySegment segment = MemorySegment.ofBuffer(buf);
            long done = 0;
            boolean endOfStream = false;
            while (isOpen()) {
                long size = segment.byteSize() - done;
                MemorySegment part = done == 0 ? segment : segment.asSlice(done);
                // errno capture in the thread's call memory: no shared arena, whose close costs a handshake
                long n = NativeCall.run(null, call -> orErrno(call, write
                        ? (long) Libc.Write.HANDLE.invokeExact(call.errno(), fd, part, size)
                        : (long) Libc.Read.HANDLE.invokeExact(call.errno(), fd, part, size)));
                int err = n < 0 ? (int) -n : 0;
                if (n > 0) {
                    done += n;
                    if (write && done < segment.byteSize()) {
                        // A blocking channel writes it all. The pipe is full now: grow it, or wait
                        // for room rather than try a write that would fail with EAGAIN.
                        if (!growPipe()) {
                            awaitReady(Libc.POLLOUT);
                        }
                        continue;
                    }
                    break;
                }
                if (n == 0) { // read: every writer has closed
                    endOfStream = true;
                    break;
                }
                if (err == Libc.EAGAIN) {
                    if (!write || !growPipe()) {
                        awaitReady(write ? Libc.POLLOUT : Libc.POLLIN);
                    }
                } else if (err != Libc.EINTR) {
                    if (done > 0) {
                        break; // report the bytes moved; the next call reports the error
                    }
                    throw new ErrnoException(err).translate();
                }
            }
            if (done > 0) {
                buf.position(buf.position() + (int) done);
                result = (int) done;
                completed = true;
            } else if (endOfStream) {
                result = -1;
                completed = true;
            } // else closed while waiting: end(false) throws
            return result;
        } finally {
            exit();
            end(completed); // throws AsynchronousCloseException / ClosedByInterruptException if so released
        }
    }

    /** @return {@code n}, or minus the errno if the call failed */
    private static long orErrno(NativeCall call, long n) {
        return n < 0 ? -call.lastErrno() : n;
    }

    /**
     * The pipe is full: the first time, grow it ({@link PipeGrowth}) unless a capacity was asked.
     *
     * @return true if it grew (write again at once)
     */
    private boolean growPipe() {
        if (!mayGrow) {
            return false;
        }
        mayGrow = false;
        long taken = PipeGrowth.grow(fd);
        synchronized (stateLock) {
            grownBytes = taken;
        }
        return taken > 0;
    }

    /** Waits until the pipe is ready for {@code events} or the channel is closed. */
    private void awaitReady(short events) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            awaitParked(events == Libc.POLLOUT);
            return;
        }
        int wake;
        synchronized (stateLock) {
            if (closing) {
                return;
            }
            if (wakeFd < 0) {
                wakeFd = NativeCall.run(null, call ->
                        call.check((int) Libc.Eventfd.HANDLE.invokeExact(call.errno(), 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK)));
            }
            wake = wakeFd;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(Libc.POLLFD, 2);
            fds.set(JAVA_INT, 0, fd);
            fds.set(JAVA_SHORT, 4, events);
            fds.set(JAVA_INT, 8, wake);
            fds.set(JAVA_SHORT, 12, Libc.POLLIN);
            // any outcome (ready, hang-up, error, EINTR): the caller retries the read or write, which reports it
            NativeCall.run(null, call -> (int) Libc.Poll.HANDLE.invokeExact(call.errno(), fds, 2L, -1));
        }
    }

    /**
     * A virtual thread's wait: parked, woken by the poller or by close(). Every other wait first
     * only yields the carrier, and the caller retries: with other virtual threads runnable (the
     * peer among them, typically) the pipe is often ready by then, which spares the poller's
     * round trip ({@code epoll_ctl}, a wake-up of the poller thread, an unpark).
     */
    private void awaitParked(boolean write) throws IOException {
        if (!yielded) {
            yielded = true;
            Thread.yield();
            return;
        }
        yielded = false;
        Poller p;
        Poller.WaitBuffer buffer;
        synchronized (stateLock) {
            if (closing) {
                return;
            }
            if (poller == null) {
                Poller.WaitBuffer b = new Poller.WaitBuffer();
                poller = Poller.register(fd, b);
                pollerBuffer = b;
            }
            p = poller;
            buffer = pollerBuffer;
        }
        p.await(fd, write, buffer, () -> !closing);
    }

    private void enter() throws ClosedChannelException {
        synchronized (stateLock) {
            if (closing) {
                throw new ClosedChannelException();
            }
            inFlight++;
        }
    }

    private void exit() {
        synchronized (stateLock) {
            if (--inFlight == 0 && closing) {
                release();
            }
        }
    }

    @Override
    protected void implCloseChannel() {
        synchronized (stateLock) {
            closing = true;
            if (wakeFd >= 0) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment one = arena.allocate(JAVA_LONG);
                    one.set(JAVA_LONG, 0, 1L);
                    int wake = wakeFd;
                    NativeCall.run(null, call -> (long) Libc.Write.HANDLE.invokeExact(call.errno(), wake, one, 8L));
                } catch (IOException e) {
                    throw new AssertionError(e); // the body checks nothing
                }
            }
            if (poller != null) {
                poller.wake(fd);
            }
            if (inFlight == 0) {
                release();
            }
        }
    }

    /** Closes the descriptors and frees native memory; called once no thread is using them. */
    private void release() {
        if (released) {
            return;
        }
        released = true;
        if (poller != null) {
            poller.deregister(fd, pollerBuffer); // before the number can be reused
        }
        FfmBackend.closeFd(fd);
        PipeGrowth.release(grownBytes);
        if (wakeFd >= 0) {
            FfmBackend.closeFd(wakeFd);
        }
    }
}
