package io.github.tempfifo.testing;

import io.github.tempfifo.TempFifo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What a first open of a FIFO takes for the whole JVM (the reserve descriptor tempfifo keeps for
 * wake-ups, the classes opens load), taken before a test counts descriptors. (Not in
 * {@link NoLeaks}: its static initializer calls this, and a lambda of a class being initialized
 * would wait for that initialization on the reader's thread.)
 */
public final class WarmUp {
    private WarmUp() {
    }

    /** Opens both ends of a FIFO once, through the public API. */
    public static void openBothEnds() {
        try (TempFifo fifo = TempFifo.create()) {
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try {
                    fifo.openInputStream(Duration.ofSeconds(30)).close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, r -> new Thread(r, "test-warm-up").start());
            fifo.openOutputStream(Duration.ofSeconds(30)).close();
            reader.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
