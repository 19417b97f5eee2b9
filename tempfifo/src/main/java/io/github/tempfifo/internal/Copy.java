package io.github.tempfifo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one copy loop: a file, a stream or a descriptor into a FIFO, or a FIFO into a stream, with
 * a buffer of a pipe's default capacity (one read can take a full pipe, one write can fill an
 * empty one).
 *
 * <p>Public only for {@code io.github.tempfifo} (this package is not exported).
 */
public final class Copy {
    /** A Linux pipe's default capacity. */
    static final int BUFFER_SIZE = 64 * 1024;

    private Copy() {
    }

    /** Reads up to {@code length} bytes into {@code bytes} at {@code offset}; -1 at the end. */
    @FunctionalInterface
    interface Source {
        int read(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Writes all of {@code length} bytes of {@code bytes} from {@code offset}. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Copies until {@code from} ends; returns the number of bytes copied. */
    static long copy(Source from, Sink to) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long total = 0;
        for (int n; (n = from.read(buffer, 0, buffer.length)) >= 0; ) {
            to.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** As {@link InputStream#transferTo}, with a pipe-sized buffer; closes neither stream. */
    public static long copy(InputStream in, OutputStream out) throws IOException {
        return copy(in::read, out::write);
    }

    /** Copies the contents of {@code file} to {@code out} (not closed). */
    public static void copy(Path file, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            copy(in, out);
        }
    }

    /** Copies {@code in} to {@code file}, created or truncated ({@code in} is not closed). */
    public static void copy(InputStream in, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            copy(in, out);
        }
    }

    /** Copies {@code in} from its position to its end into {@code out}. */
    static long copy(ReadableByteChannel in, WritableByteChannel out) throws IOException {
        return copy((bytes, offset, length) -> in.read(ByteBuffer.wrap(bytes, offset, length)), sink(out));
    }

    /** @return a sink that writes all it is given to {@code channel} */
    static Sink sink(WritableByteChannel channel) {
        return (bytes, offset, length) -> {
            ByteBuffer buf = ByteBuffer.wrap(bytes, offset, length);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        };
    }
}
