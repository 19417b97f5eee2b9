package io.github.tempfifo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** This JVM's open file descriptors, from /proc/self/fd. */
public final class Fds {
    private static final Path FD_DIR = Path.of("/proc/self/fd");

    private Fds() {
    }

    /**
     * The number of open descriptors, as the minimum of a few samples: JIT compiler threads of
     * JDK 17 briefly open cgroup files, which a single sample can catch.
     */
    public static int count() {
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            min = Math.min(min, sample());
            if (i < 4) {
                sleep(2);
            }
        }
        return min;
    }

    private static int sample() {
        try (Stream<Path> fds = Files.list(FD_DIR)) {
            return (int) fds.count() - 1; // the directory stream's own descriptor
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What each descriptor points to, for a failure message. */
    public static List<String> describe() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> fds = Files.list(FD_DIR)) {
            fds.forEach(fd -> {
                try {
                    out.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
