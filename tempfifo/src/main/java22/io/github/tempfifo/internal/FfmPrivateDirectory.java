package io.github.tempfifo.internal;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private directory held by an {@code O_PATH | O_DIRECTORY} descriptor from its creation
 * (FFM backend). Every use of the descriptor is bracketed by {@link #acquire} and
 * {@link #release}, so that {@link #close()} from another thread never closes it in the middle
 * of an {@code openat}: a descriptor number closed and reused by the process would make that
 * call act in some other directory.
 */
final class FfmPrivateDirectory extends FifoBackend.PrivateDirectory {
    private static final int CLOSED = 1 << 30;

    private final int fd;
    /** The directory's identity, read through the descriptor when it was made. */
    final FileStat stat;
    /** Users of {@link #fd} now, plus {@link #CLOSED} once closed. */
    private final AtomicInteger state = new AtomicInteger();

    FfmPrivateDirectory(Path path, int fd, FileStat stat) {
        super(path);
        this.fd = fd;
        this.stat = stat;
    }

    /**
     * @return the descriptor, valid until {@link #release()}
     * @throws java.nio.file.FileSystemException if the handle was closed (the TempFifo was)
     */
    int acquire() throws java.nio.file.FileSystemException {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw CancellableOpen.closedException(path());
            }
            if (state.compareAndSet(s, s + 1)) {
                return fd;
            }
        }
    }

    void release() {
        if (state.decrementAndGet() == CLOSED) {
            FfmBackend.closeFd(fd);
        }
    }

    @Override
    public void close() {
        int before = state.getAndUpdate(s -> s | CLOSED);
        if (before == 0) {
            FfmBackend.closeFd(fd);
        }
    }
}
