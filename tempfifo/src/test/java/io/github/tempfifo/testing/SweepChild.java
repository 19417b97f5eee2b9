package io.github.tempfifo.testing;

import io.github.tempfifo.TempFifo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM that sweeps: {@code SweepChild BASE} prints each directory
 * {@code TempFifo.sweep(BASE, 0s)} removed, then {@code done}. Uses nothing but the JDK and
 * tempfifo, so that it can run as another user.
 */
public final class SweepChild {
    private SweepChild() {
    }

    public static void main(String[] args) throws Exception {
        for (Path removed : TempFifo.sweep(Path.of(args[0]), Duration.ZERO)) {
            System.out.println(removed);
        }
        System.out.println("done");
    }
}
