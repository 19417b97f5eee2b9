package io.github.tempfifo;

import io.github.tempfifo.SubstitutionResult.Outcome;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;

/** An output substitution read by Java: an {@link OutputReader} reads what the program writes. */
final class ReaderSubstitution extends Substitution {
    private final OutputReader reader;

    ReaderSubstitution(int index, TempFifo fifo, String description, OutputReader reader) {
        super(index, fifo, false, description);
        this.reader = reader;
    }

    @Override
    SubstitutionResult serve(Channel channel, boolean afterExit) throws IOException {
        InputStream in = afterExit ? leftOver(channel) : Channels.newInputStream((ReadableByteChannel) channel);
        if (in == null) {
            return result(Outcome.NEVER_OPENED, null, null);
        }
        try (in) { // a failure while end() stops us is a cut-off, any other one a failure: run() tells them apart
            reader.readFrom(in);
        }
        return result(Outcome.COMPLETED, null, null);
    }
}
