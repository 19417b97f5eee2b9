package io.github.tempfifo.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The files of one TempFifo (the FIFO and its private directory, held open by the backend) and
 * the three ways they are removed: {@link #delete()} from {@code TempFifo.close()}, the
 * {@link Cleaner} when the TempFifo became unreachable without being closed, and one JVM-wide
 * shutdown hook at exit (normal exit, SIGTERM, SIGINT, SIGHUP). Whichever comes first removes
 * them; the others do nothing. Removal goes through the held directory, never the path. With
 * {@code deleteOnExit(false)} only {@code close()} removes them; the Cleaner then just releases
 * the held directory.
 *
 * <p>Holds no reference to its TempFifo, as a Cleaner action must not.
 */
public final class FifoFiles implements Runnable {
    /** {@code -Dtempfifo.trackCreation=true}: name where a leaked TempFifo was created (costs a stack walk per create). */
    private static final boolean TRACK_CREATION = Boolean.getBoolean("tempfifo.trackCreation");
    private static final Set<FifoFiles> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Runnable> AT_EXIT = ConcurrentHashMap.newKeySet();
    private static volatile boolean shuttingDown;

    private final FifoBackend backend;
    private final Path fifo;
    private final FifoBackend.PrivateDirectory directory;
    private final boolean deleteOnExit;
    private final Throwable createdAt;
    private final CancellableOpen.Registry opens;
    private final AtomicBoolean done = new AtomicBoolean();
    private boolean removed; // guarded by this

    private FifoFiles(FifoBackend backend, Path fifo, FifoBackend.PrivateDirectory directory, boolean deleteOnExit,
                      Throwable createdAt, CancellableOpen.Registry opens) {
        this.backend = backend;
        this.fifo = fifo;
        this.directory = directory;
        this.deleteOnExit = deleteOnExit;
        this.createdAt = createdAt;
        this.opens = opens;
    }

    /**
     * Tracks the files of {@code owner}: with {@code deleteOnExit}, for removal at exit and when
     * {@code owner} becomes unreachable; without, only to release the held directory then.
     * {@code opens} are released before the files are removed (at exit, another thread may be
     * waiting in an open, and the portable backend's held directory can't close under it).
     */
    public static Cleanable track(Object owner, FifoBackend backend, Path fifo, FifoBackend.PrivateDirectory directory,
                                  boolean deleteOnExit, CancellableOpen.Registry opens) {
        FifoFiles files = new FifoFiles(backend, fifo, directory, deleteOnExit,
                TRACK_CREATION && deleteOnExit ? new Throwable("TempFifo created here") : null, opens);
        if (deleteOnExit) {
            LIVE.add(files);
            Hooks.ensureInstalled();
        }
        return new Cleanable(files, Hooks.CLEANER.register(owner, files));
    }

    /**
     * Removes the FIFO and its directory, once. A file already gone is not an error. If they
     * can't be removed (e.g. the file system went read-only), they stay tracked, so that the
     * exit hook tries again.
     */
    void delete() throws IOException {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        opens.close(); // before the files go: a waiting open is released through them
        try {
            removeOnce();
        } catch (IOException | RuntimeException | Error e) {
            if (!deleteOnExit) {
                directory.close(); // left for sweep: no one will try again
            }
            throw e;
        }
    }

    /** Run by the exit hook: removes the files unless that already succeeded, whoever tried first. */
    private void deleteAtExit() {
        done.set(true);
        opens.close();
        try {
            removeOnce();
        } catch (IOException | RuntimeException e) {
            FifoBackend.LOG.log(Level.WARNING, "could not remove " + fifo + " at exit", e);
        }
    }

    /**
     * Removes the files through the held directory and then releases it, once: close() and the
     * exit hook may both get here (SIGTERM while closing), and the second must neither use the
     * released directory nor report its absence.
     */
    private synchronized void removeOnce() throws IOException {
        if (removed) {
            return;
        }
        deleteFiles(backend, fifo, directory);
        removed = true;
        directory.close();
        LIVE.remove(this);
    }

    /** Runs {@code action} in tempfifo's one exit hook, after the FIFOs are removed. */
    static void atExit(Runnable action) {
        AT_EXIT.add(action);
        Hooks.ensureInstalled();
    }

    /**
     * Removes a FIFO and then its directory, both through the held directory; a FIFO already
     * gone is not an error.
     */
    private static void deleteFiles(FifoBackend backend, Path fifo, FifoBackend.PrivateDirectory directory) throws IOException {
        try {
            backend.deleteFifo(directory, fifo.getFileName().toString());
        } catch (NoSuchFileException e) {
            // removed by someone else (same user): still remove the directory
        }
        try {
            backend.deleteDirectory(directory);
        } catch (NoSuchFileException e) {
            // likewise
        }
    }

    /**
     * Run by the Cleaner: when the TempFifo became unreachable without being closed (with a
     * warning), or when {@link Cleanable#delete()} unregisters it after close() (nothing to do).
     */
    @Override
    public void run() {
        if (done.get()) {
            return;
        }
        if (!deleteOnExit) {
            if (done.compareAndSet(false, true)) {
                directory.close(); // kept on purpose: only the descriptor goes
            }
            return;
        }
        if (!shuttingDown) {
            FifoBackend.LOG.log(Level.WARNING, "TempFifo " + fifo + " was not closed; removing it now that it is unreachable"
                    + (createdAt == null ? " (run with -Dtempfifo.trackCreation=true to see where it was created)" : ""),
                    createdAt);
        }
        try {
            delete();
        } catch (IOException | RuntimeException e) {
            FifoBackend.LOG.log(Level.WARNING, "could not remove " + fifo, e);
        }
    }

    /** {@code clean()} removes the files, reporting failures; the Cleaner is then told to forget them. */
    public static final class Cleanable implements Cleaner.Cleanable {
        private final FifoFiles files;
        private final Cleaner.Cleanable registration; // null if untracked

        Cleanable(FifoFiles files, Cleaner.Cleanable registration) {
            this.files = files;
            this.registration = registration;
        }

        /** Removes the files now. */
        public void delete() throws IOException {
            try {
                files.delete();
            } finally {
                clean();
            }
        }

        /** Tells the Cleaner to forget the files: runs the action, which finds them done (no warning). */
        @Override
        public void clean() {
            if (registration != null) {
                registration.clean();
            }
        }
    }

    /** Named classes, not lambdas: a lambda costs a short program's first create() a class spun at run time. */
    private static final class Hooks implements java.util.concurrent.ThreadFactory, Runnable {
        static final Cleaner CLEANER = Cleaner.create(new Hooks());
        private static final AtomicBoolean INSTALLED = new AtomicBoolean();

        static void ensureInstalled() {
            if (INSTALLED.get() || !INSTALLED.compareAndSet(false, true)) {
                return;
            }
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(new Hooks(), "tempfifo-exit"));
            } catch (IllegalStateException e) {
                // already shutting down: the files are removed by close() or not at all
            }
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "tempfifo-cleaner");
            t.setDaemon(true);
            return t;
        }

        @Override
        public void run() {
            atExit();
        }

        private static void atExit() {
            shuttingDown = true;
            for (FifoFiles files : LIVE) {
                files.deleteAtExit();
            }
            for (Runnable action : AT_EXIT) {
                action.run();
            }
        }
    }
}
