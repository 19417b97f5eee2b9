package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * FIFOs made ahead for the portable backend, whose only way to make a FIFO is to run the
 * {@code mkfifo} program (milliseconds per run, whatever the number of FIFOs it makes).
 *
 * <p>Once a JVM has made a second FIFO, one {@code mkfifo} run also makes spare FIFOs in a
 * <em>stash</em>: a private directory of this process's own (named, owner-marked and mode 0700
 * like every private directory, so {@code sweep} removes it after a crash), in the default base
 * directory. A later create takes a spare and renames it ({@code rename(2)}, atomic) into the
 * fresh private directory it has just made, as its FIFO: each FIFO still lives alone in its own
 * new private directory, with mode 0600, and no other user could ever reach it (it moves between
 * two directories of mode 0700 that are ours). The number made per run follows demand: it
 * doubles while creates keep coming (up to {@value #MAX_SPARES}) and halves after a quiet spell.
 * Spares are removed at exit. Only FIFOs in the default base directory (the one
 * {@code TempFifo.create()} uses) come from spares, so no spare ever shows in a base directory
 * the caller chose (and none is left there if the process is killed).
 *
 * <p>{@code -Dtempfifo.spareFifos=false} turns it off.
 */
final class SpareFifos {
    static final int MAX_SPARES = 128;
    private static final long QUIET_NANOS = 10_000_000_000L;
    private static final boolean ENABLED = !"false".equals(System.getProperty("tempfifo.spareFifos"));
    /** One stash per JVM, in the default base; none until a second FIFO is asked for there. */
    private static volatile Stash stash;
    private static final Object INIT = new Object();
    private static int requests;

    private SpareFifos() {
    }

    /** Makes FIFOs at {@code paths} with the {@code mkfifo} program (one run), reporting errors by path. */
    interface Maker {
        void make(List<Path> paths) throws IOException;
    }

    /**
     * Gives spare FIFOs to the first of {@code fifos} (each the FIFO's path in a fresh, empty
     * private directory), making more spares first when demand says so.
     *
     * @return how many of {@code fifos}, from the first, now exist; the caller makes the rest
     */
    static int fill(List<Path> fifos, FifoBackend backend, Maker maker) {
        if (!ENABLED) {
            return 0;
        }
        Path base = fifos.get(0).getParent().getParent();
        Stash s = stash;
        if (s == null) {
            if (!base.equals(BaseDirectory.defaultBase().toAbsolutePath())) {
                return 0;
            }
            synchronized (INIT) {
                if (++requests < 2 || stash != null) { // a program that makes one FIFO never makes a stash
                    s = stash;
                } else {
                    s = stash = Stash.create(backend);
                }
            }
            if (s == null) {
                return 0;
            }
        }
        if (!s.holds(base)) {
            return 0;
        }
        return s.fill(fifos, maker);
    }

    /** A private directory of spare FIFOs, on one file system. */
    private static final class Stash {
        private final Path dir;
        private final Path base;
        private final ArrayDeque<Path> spares = new ArrayDeque<>();
        private long nextName;
        private int batch = 2;
        private long lastRefill = System.nanoTime();
        private boolean broken;

        private Stash(Path dir) {
            this.dir = dir;
            this.base = dir.getParent();
        }

        /** @return the stash, or {@code null} if the default base can't hold one (unsafe, read-only…) */
        static Stash create(FifoBackend backend) {
            try {
                Path base = BaseDirectory.defaultBase().toAbsolutePath();
                BaseDirectory.check(backend, base);
                Path dir = null;
                for (int attempt = 0; dir == null && attempt < 100; attempt++) {
                    Path candidate = base.resolve(PrivateDirectoryName.newName("tempfifo-", Owner.current()));
                    try {
                        backend.createPrivateDirectory(candidate).close(); // the stash is used by path
                        dir = candidate;
                    } catch (java.nio.file.FileAlreadyExistsException e) {
                        // 80 random bits: try another
                    }
                }
                if (dir == null) {
                    return null;
                }
                Stash s = new Stash(dir);
                FifoFiles.atExit(s::removeAll);
                return s;
            } catch (IOException | RuntimeException e) {
                return null; // no spares: every FIFO made as before
            }
        }

        boolean holds(Path base) {
            return this.base.equals(base);
        }

        synchronized int fill(List<Path> fifos, Maker maker) {
            if (broken) {
                return 0;
            }
            if (spares.isEmpty() && fifos.size() <= MAX_SPARES) {
                refill(fifos.size(), maker);
            }
            int done = 0;
            while (done < fifos.size() && !spares.isEmpty()) {
                Path spare = spares.poll();
                try {
                    Files.move(spare, fifos.get(done), StandardCopyOption.ATOMIC_MOVE);
                    done++;
                } catch (IOException e) {
                    delete(spare); // the caller makes this one, and reports what is wrong
                    break;
                }
            }
            return done;
        }

        /** One mkfifo run: {@code needed} FIFOs plus spares, as many as demand says. */
        private void refill(int needed, Maker maker) {
            long now = System.nanoTime();
            if (now - lastRefill > QUIET_NANOS) {
                batch = Math.max(2, batch / 2);
            }
            lastRefill = now;
            List<Path> made = new ArrayList<>(needed + batch);
            for (int i = 0; i < needed + batch; i++) {
                made.add(dir.resolve(Long.toString(nextName++)));
            }
            try {
                maker.make(made);
                spares.addAll(made);
                batch = Math.min(MAX_SPARES, batch * 2);
            } catch (IOException | RuntimeException e) {
                // e.g. no inodes left: keep what was made, make no more spares for a while
                for (Path p : made) {
                    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                        spares.add(p);
                    }
                }
                batch = 2;
                if (e instanceof NoSuchFileException) {
                    broken = true; // the stash itself is gone (removed by someone with our rights)
                }
            }
        }

        private synchronized void removeAll() {
            broken = true;
            for (Path p : spares) {
                delete(p);
            }
            spares.clear();
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // not empty (something else put there) or gone: sweep's business
            }
        }

        private static void delete(Path p) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // left for the exit hook's rmdir to fail on, and then for sweep
            }
        }
    }
}
