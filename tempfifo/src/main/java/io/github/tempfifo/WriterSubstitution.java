package io.github.tempfifo;

import io.github.tempfifo.SubstitutionResult.Outcome;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;

/** An input substitution fed by Java: the program reads what an {@link InputWriter} writes. */
final class WriterSubstitution extends Substitution {
    private final InputWriter writer;

    WriterSubstitution(int index, TempFifo fifo, String description, InputWriter writer) {
        super(index, fifo, true, description);
        this.writer = writer;
    }

    @Override
    SubstitutionResult serve(Channel channel, boolean afterExit) throws IOException {
        PipeOutputStream out = new PipeOutputStream((WritableByteChannel) channel);
        try (out) {
            writer.writeTo(out);
        } catch (IOException e) {
            if (out.readerGone) { // else end() stopping us (a cut-off) or a failure: run() tells them apart
                return result(Outcome.CUT_OFF, e, null);
            }
            throw e;
        }
        return result(Outcome.COMPLETED, null, null);
    }

    /**
     * The FIFO's write end, noting whether a write failed. A write to a pipe fails only when
     * every reader has closed it ({@code EPIPE}): the channel retries {@code EINTR} and waits out
     * {@code EAGAIN}, and {@code EBADF}, {@code EFAULT}, {@code EINVAL} can't happen on a
     * descriptor we opened with a buffer we own. So a write that fails with an {@link IOException}
     * other than our own close or interrupt means that the program stopped reading, whatever the
     * message says in whatever locale.
     */
    private static final class PipeOutputStream extends OutputStream {
        private final OutputStream out;
        boolean readerGone;

        PipeOutputStream(WritableByteChannel channel) {
            this.out = Channels.newOutputStream(channel);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (ClosedChannelException e) {
                throw e; // closed or interrupted by us (end()), or by the writer itself
            } catch (IOException e) {
                readerGone = true;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
