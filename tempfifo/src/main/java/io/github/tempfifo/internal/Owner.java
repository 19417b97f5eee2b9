package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The process that owns a private directory: its pid plus its start time, so that a pid reused
 * by a later process is not mistaken for the owner.
 *
 * <p>On Linux the start time is field 22 of {@code /proc/PID/stat} (clock ticks since boot),
 * exact and the same whichever JDK reads it; elsewhere it is {@link ProcessHandle.Info#startInstant()}
 * in milliseconds.
 *
 * @param pid       the process id
 * @param startTime the process's start time, in the units above
 */
public record Owner(long pid, long startTime) {
    private static final boolean PROC = Files.isReadable(Path.of("/proc/self/stat"));
    private static final Owner CURRENT = of(currentPid()).orElse(null);

    /**
     * This JVM's pid: from {@code /proc/self} where there is one, which costs a short program a
     * {@code readlink} where {@code ProcessHandle.current()} costs milliseconds (it sets up the
     * JDK's process-reaper machinery).
     */
    private static long currentPid() {
        if (PROC) {
            try {
                return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
            } catch (IOException | RuntimeException e) {
                // fall back to the JDK
            }
        }
        return ProcessHandle.current().pid();
    }

    /** @return this JVM's process, or {@code null} if its start time can't be read */
    public static Owner current() {
        return CURRENT;
    }

    /** @return the live process {@code pid}, if it exists and its start time can be read */
    public static java.util.Optional<Owner> of(long pid) {
        OptionalLong start = startTime(pid);
        return start.isPresent() ? java.util.Optional.of(new Owner(pid, start.getAsLong())) : java.util.Optional.empty();
    }

    /**
     * @return true if this process is still running (same pid and same start time). When a
     *         process with this pid exists but its start time can't be read, it may be the
     *         owner, so this says true: a sweep must never remove the directory of a live owner.
     */
    public boolean isAlive() {
        OptionalLong start = startTime(pid);
        if (start.isPresent()) {
            return start.getAsLong() == startTime;
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static OptionalLong startTime(long pid) {
        if (PROC) {
            try {
                String stat;
                // a FileInputStream, not Files.readAllBytes: the JDK has its classes loaded already
                try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/" + pid + "/stat")) {
                    stat = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                }
                // "pid (comm) state ppid …": comm may hold spaces and parentheses; fields after it
                // are separated by single spaces, and starttime is field 22 overall.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return OptionalLong.of(Long.parseLong(fields[19]));
            } catch (IOException | RuntimeException e) {
                return OptionalLong.empty();
            }
        }
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().startInstant())
                .map(Instant::toEpochMilli)
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
    }
}
