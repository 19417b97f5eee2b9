package io.github.tempfifo.internal;

import java.io.IOException;

/**
 * The process's umask, read once from {@code /proc/self/status}.
 *
 * <p>{@code umask(2)} can only be read by setting it, which would race with every other thread
 * creating files. A umask can only take permission bits away, so knowing it lets creation skip
 * the {@code chmod} when nothing was taken; when it is unknown we always {@code chmod}.
 */
final class Umask {
    private static final int UMASK = read();

    private Umask() {
    }

    /** @return true if creating a file with {@code mode} may give it fewer permissions than asked */
    static boolean mayNarrow(int mode) {
        return UMASK < 0 || (UMASK & mode) != 0;
    }

    private static int read() {
        try {
            String status; // a FileInputStream, not Files.readAllLines: a short program has its classes loaded already
            try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/self/status")) {
                status = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            }
            for (String line : status.split("\n")) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted
        }
        return -1;
    }
}
