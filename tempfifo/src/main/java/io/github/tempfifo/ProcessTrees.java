package io.github.tempfifo;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Waits for processes, and ends a process and everything it started: {@code sh -c 'a | b'}
 * leaves {@code a} and {@code b} running when only the shell is signalled. The descendants are listed before anyone is
 * signalled, since they are re-parented (and no longer listed) once their parent is gone.
 */
final class ProcessTrees {
    private ProcessTrees() {
    }

    /**
     * Sends SIGTERM to {@code root} and its descendants.
     *
     * @return the processes signalled, for {@link #kill(List)}
     */
    static List<ProcessHandle> terminate(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().collect(Collectors.toList()));
        all.add(0, root);
        for (ProcessHandle p : all) {
            p.destroy();
        }
        return all;
    }

    /** Sends SIGKILL to those of {@code processes} still running (a pid reused since is left alone). */
    static void kill(List<ProcessHandle> processes) {
        for (ProcessHandle p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** {@link Process#waitFor()}, not ended by an interrupt (whose status is kept for the caller). */
    static int waitForUninterruptibly(Process p) {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return p.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
