package io.github.tempfifo.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Wakes virtual threads waiting for a pipe to become readable or writable, so that they park
 * instead of holding their carrier in {@code poll(2)} (after the JDK's own
 * {@code sun.nio.ch.EPollPoller}). One {@code epoll} instance and one platform thread serve the
 * whole JVM; they exist only while some channel is registered, plus one idle second.
 *
 * <p>A channel registers its descriptor on its first wait and deregisters it before closing it
 * ({@link #deregister}); each wait re-arms it one-shot ({@code EPOLL_CTL_MOD}, one system call, as
 * a {@code poll(2)} would be). The thread waiting on a descriptor is found by its number; since a
 * channel has at most one waiter per descriptor (its read or write lock) and closes the
 * descriptor only after every waiter has left, a number names one waiter at a time. An event
 * that arrives for a number after its channel closed and the number was reused only wakes the
 * new waiter spuriously, and every waiter retries its read or write before waiting again.
 */
final class Poller {
    private static final int EPOLLIN = 0x1;
    private static final int EPOLLOUT = 0x4;
    private static final int EPOLLONESHOT = 1 << 30;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int EPOLL_CLOEXEC = 02000000;
    /** struct epoll_event is packed on x86_64 (12 bytes), naturally aligned on aarch64 (16). */
    private static final long EVENT_BYTES = Libc.AARCH64 ? 16 : 12;
    private static final long DATA_OFFSET = Libc.AARCH64 ? 8 : 4;
    private static final int MAX_EVENTS = 256;
    private static final int IDLE_MILLIS = 1_000;

    private static final Object LOCK = new Object();
    private static Poller current;     // guarded by LOCK
    private int registered;            // guarded by LOCK: descriptors registered with this poller

    private final int epfd;
    private final ConcurrentHashMap<Integer, Thread> waiters = new ConcurrentHashMap<>();

    private Poller(int epfd) {
        this.epfd = epfd;
    }

    /**
     * Registers {@code fd} (not armed yet) with the JVM's poller, starting it if needed.
     *
     * @return the poller, to pass {@code fd} to {@link #await} and {@link #deregister}
     */
    static Poller register(int fd, WaitBuffer buffer) throws IOException {
        synchronized (LOCK) {
            Poller poller = current;
            if (poller == null) {
                poller = start();
            }
            poller.ctl(EPOLL_CTL_ADD, fd, 0, buffer);
            poller.registered++;
            return poller;
        }
    }

    /** Removes {@code fd}, which must be registered and not yet closed. */
    void deregister(int fd, WaitBuffer buffer) {
        synchronized (LOCK) {
            try {
                ctl(EPOLL_CTL_DEL, fd, 0, buffer);
            } catch (IOException e) {
                // closing the descriptor removes it anyway
            }
            registered--;
        }
    }

    /**
     * Parks the calling (virtual) thread until {@code fd} is ready for reading ({@code write}
     * false) or writing, has an error or hang-up, {@code stillWaiting} turns false after a
     * {@link #wake}, or the thread is interrupted. May return spuriously: the caller retries its
     * read or write, which tells.
     */
    void await(int fd, boolean write, WaitBuffer buffer, java.util.function.BooleanSupplier stillWaiting) throws IOException {
        Thread me = Thread.currentThread();
        Integer key = fd;
        waiters.put(key, me);
        try {
            ctl(EPOLL_CTL_MOD, fd, (write ? EPOLLOUT : EPOLLIN) | EPOLLONESHOT, buffer);
            while (waiters.get(key) == me && stillWaiting.getAsBoolean() && !me.isInterrupted()) {
                LockSupport.park(this);
            }
        } finally {
            waiters.remove(key, me);
        }
    }

    /** Unparks the thread waiting on {@code fd}, if any (its channel is closing). */
    void wake(int fd) {
        Thread t = waiters.remove(fd);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void ctl(int op, int fd, int events, WaitBuffer buffer) throws IOException {
        MemorySegment event = buffer.event;
        event.set(JAVA_INT, 0, events);
        event.set(JAVA_INT, DATA_OFFSET, fd);
        int r;
        try {
            r = (int) Libc.EpollCtl.HANDLE.invokeExact(buffer.errno, epfd, op, fd, event);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r < 0) {
            throw new ErrnoException(Libc.errno(buffer.errno)).translate();
        }
    }

    private static Poller start() throws IOException {
        int epfd = NativeCall.run(null, call -> call.check((int) Libc.EpollCreate1.HANDLE.invokeExact(call.errno(), EPOLL_CLOEXEC)));
        Poller poller = new Poller(epfd);
        Thread thread = new Thread(null, poller::loop, "tempfifo-poller", 256 * 1024, false);
        thread.setDaemon(true);
        thread.setContextClassLoader(null); // started by any caller's thread: keep no application's loader reachable
        try {
            thread.start();
        } catch (Throwable t) {
            FfmBackend.closeFd(epfd);
            throw new IOException("could not start the poller thread", t);
        }
        current = poller;
        return poller;
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.allocateErrno(arena);
            MemorySegment events = arena.allocate(EVENT_BYTES * MAX_EVENTS, 8);
            for (;;) {
                int n = (int) Libc.EpollWait.HANDLE.invokeExact(errno, epfd, events, MAX_EVENTS, IDLE_MILLIS);
                if (n == 0) {
                    synchronized (LOCK) {
                        if (registered == 0) {
                            current = null;
                            FfmBackend.closeFd(epfd);
                            return;
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    wake(events.get(JAVA_INT, i * EVENT_BYTES + DATA_OFFSET));
                }
                // n < 0 is EINTR: wait again
            }
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Native memory for one channel's {@code epoll_ctl} calls (an event and errno capture): used
     * by one thread at a time (the one holding the channel's read or write lock, or closing it),
     * freed by the GC with the channel.
     */
    static final class WaitBuffer {
        final MemorySegment event;
        final MemorySegment errno;

        WaitBuffer() {
            Arena arena = Arena.ofAuto();
            this.event = arena.allocate(EVENT_BYTES, 8);
            this.errno = Libc.allocateErrno(arena);
        }
    }
}
