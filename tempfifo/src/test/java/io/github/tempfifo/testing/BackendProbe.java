package io.github.tempfifo.testing;

import io.github.tempfifo.TempFifo;

import java.nio.file.Files;
import java.nio.file.Path;

/** Child JVM: creates and closes a few FIFOs in args[0], then prints the backend's name. */
public final class BackendProbe {
    private BackendProbe() {
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 3; i++) {
            try (TempFifo fifo = TempFifo.builder().directory(Path.of(args[0])).create()) {
                if (!Files.exists(fifo.path())) {
                    throw new AssertionError("no FIFO");
                }
            }
        }
        System.out.println(TempFifo.backend());
    }
}
