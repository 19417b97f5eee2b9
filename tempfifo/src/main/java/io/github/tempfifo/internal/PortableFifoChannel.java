package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * A FIFO end opened by the {@link PortableBackend}: its {@link FileChannel}, except that a read
 * or write on a virtual thread runs on a {@link BlockingCallPool} platform thread while the
 * virtual thread parks. Pure Java can't make a FIFO non-blocking, and from Java 24 the JDK no
 * longer lends a virtual thread blocked in {@code FileChannel} I/O another carrier (it did, up to
 * 256 of them, on 21–23): a virtual thread waiting in a read for data, or in a write for room,
 * would otherwise hold its carrier until the peer (perhaps another virtual thread, now without a
 * carrier) moved.
 *
 * <p>Platform threads use the {@link FileChannel} directly. On a virtual thread, closing the
 * channel releases the call as the {@code FileChannel} always does (it signals the platform
 * thread blocked in it), and {@link Thread#interrupt()} closes the channel and ends the call with
 * {@link ClosedByInterruptException}, as for any interruptible channel.
 */
final class PortableFifoChannel implements ByteChannel {
    private final FileChannel channel;

    PortableFifoChannel(FileChannel channel) {
        this.channel = channel;
    }

    /** @return the underlying channel, for a platform thread's {@code transferTo} (sendfile) */
    FileChannel fileChannel() {
        return channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!BlockingCallPool.onVirtualThread()) {
            return channel.read(dst);
        }
        return unpinned(() -> channel.read(dst));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!BlockingCallPool.onVirtualThread()) {
            return channel.write(src);
        }
        return unpinned(() -> channel.write(src));
    }

    /**
     * Runs {@code call} on a pool thread while this (virtual) thread parks; an interrupt closes
     * the channel, which ends the call.
     */
    <T> T unpinned(BlockingCallPool.Call<T> call) throws IOException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        try {
            return BlockingCallPool.call(call, this::closeQuietly);
        } catch (ClosedChannelException e) {
            if (Thread.currentThread().isInterrupted()) {
                ClosedByInterruptException interrupted = new ClosedByInterruptException();
                interrupted.addSuppressed(e);
                throw interrupted;
            }
            throw e; // AsynchronousCloseException if closed by another thread
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is what the interrupt asks: the call ends either way
        }
    }
}
