// Over 400 lines, on purpose: this is the library's main type, and more than half of it is the
// Javadoc that is its contract (what blocks, for how long, what is thrown). The code is thin: it
// checks arguments and delegates to io.github.tempfifo.internal. Builder stays nested because
// TempFifo.Builder is the name users write.
package io.github.tempfifo;

import io.github.tempfifo.internal.BaseDirectory;
import io.github.tempfifo.internal.CancellableOpen;
import io.github.tempfifo.internal.FifoBackend;
import io.github.tempfifo.internal.FifoFiles;
import io.github.tempfifo.internal.FileNames;
import io.github.tempfifo.internal.Owner;
import io.github.tempfifo.internal.PrivateDirectoryName;
import io.github.tempfifo.internal.Sharing;
import io.github.tempfifo.internal.Sweeper;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A temporary named pipe (FIFO) in a private directory of its own, removed by {@link #close()}.
 *
 * <pre>{@code
 * try (TempFifo fifo = TempFifo.create()) {
 *     Process reader = new ProcessBuilder("cat", fifo.path().toString()).inheritIO().start();
 *     try (OutputStream out = fifo.openOutputStream(Duration.ofSeconds(10))) {
 *         out.write("Hello\n".getBytes(StandardCharsets.UTF_8));
 *     }
 *     reader.waitFor();
 * }
 * }</pre>
 *
 * <h2>Security model</h2>
 * The FIFO is {@code BASE/PREFIX<random>.<owner>/NAME}. The private directory is created
 * atomically by {@code mkdir(2)} with mode 0700 and 80 unpredictable bits in its name, so no
 * other user can guess it, create it first, list it, or reach the FIFO through it; the FIFO gets
 * mode 0600. Both modes are exact whatever the umask. The base directory is refused when another
 * user could rename our directory away and put theirs in its place (owned by someone other than
 * us or root, or writable by others without the sticky bit). Symbolic links are never followed
 * inside the private directory, and an opened end is checked to be a FIFO. Processes running as
 * the same user, and root, are trusted: they can do anything the owner can.
 *
 * <h2>Sharing with another user</h2>
 * A server that opens the path as its own user (PostgreSQL's server-side {@code COPY}) can't
 * enter the private directory. {@link Builder#shareWith Builder.shareWith(principal, modes)}
 * lets that user or group, and no one else, search the directory and open the FIFO for the
 * modes given; {@link #openOutputStream(Duration, ProcessHandle)} and its siblings end the wait
 * with {@link FifoPeerExitedException} when the process that was to open the other end exits
 * first.
 *
 * <h2>Opening</h2>
 * Opening one end of a FIFO waits until the other end is opened. Each {@code open…} method waits
 * at most its timeout and is released promptly by {@link Thread#interrupt()} or by
 * {@link #close()} from another thread; nothing (file descriptor, thread) is left behind when it
 * fails. Each end may be opened any number of times, by this process or others. Streams are
 * built on the channels: closing one releases a thread blocked in it.
 *
 * <h2>Virtual threads</h2>
 * No wait of this class pins a carrier: a virtual thread waiting in an open, a read, a write or
 * {@link #transferFrom(Path, Duration)} parks (the blocking {@code open(2)} and the portable
 * backend's {@code FileChannel} calls run on a platform thread meanwhile; the FFM backend's reads
 * and writes are woken by a JVM-wide {@code epoll} poller), so any number of them can wait with
 * every other virtual thread still running. Timeouts, interrupts and {@link #close()} release
 * them as they release platform threads.
 *
 * <h2>Lifetime</h2>
 * {@link #close()} removes the FIFO and its directory. A TempFifo that is never closed is removed
 * when it becomes unreachable (with a warning) and when the JVM exits normally or on SIGTERM,
 * SIGINT or SIGHUP, unless {@link Builder#deleteOnExit(boolean) deleteOnExit(false)} was asked.
 * After a crash ({@code SIGKILL}), {@link #sweep(Path, Duration)} removes what was left.
 *
 * <h2>Backends</h2>
 * On Java 22+ with native access enabled ({@code --enable-native-access=ALL-UNNAMED}, or
 * {@code io.github.tempfifo} on the module path), system calls go through the Foreign Function
 * &amp; Memory API. Otherwise a portable backend creates FIFOs with the system's {@code mkfifo}
 * program and does the rest in pure Java; {@link Builder#pipeCapacity(int)} has no effect there.
 * Behaviour is otherwise the same. This class is thread-safe.
 */
public final class TempFifo implements Closeable {
    private static final String DEFAULT_PREFIX = "tempfifo-";
    private static final String DEFAULT_NAME = "fifo";
    private static final int MAX_ATTEMPTS = 100;
    private static final Duration DEFAULT_UNOWNED_AGE = Duration.ofHours(24);

    private final FifoBackend backend;
    private final FifoBackend.PrivateDirectory held;
    private final Path path;
    private final Path directory;
    private final int pipeCapacity;
    private final CancellableOpen.Registry opens = new CancellableOpen.Registry();
    private final FifoFiles.Cleanable cleanup;
    private final Object closeLock = new Object();
    private volatile boolean closed;

    private TempFifo(FifoBackend backend, FifoBackend.PrivateDirectory held, String name, int pipeCapacity,
                     boolean deleteOnExit) {
        this.backend = backend;
        this.held = held;
        this.directory = held.path();
        this.path = directory.resolve(name);
        this.pipeCapacity = pipeCapacity;
        this.cleanup = FifoFiles.track(this, backend, path, held, deleteOnExit, opens);
    }

    /**
     * Creates a FIFO named {@code fifo} in a new private directory in the
     * {@linkplain #defaultDirectory() default base directory}. Equivalent to
     * {@code builder().create()}.
     *
     * <p>Does not block beyond file-system calls (on the portable backend, running {@code mkfifo}).
     *
     * @return the new FIFO; close it to remove it
     * @throws java.nio.file.AccessDeniedException  if the base directory is not writable, or is unsafe
     * @throws java.nio.file.NoSuchFileException    if the base directory does not exist
     * @throws java.nio.file.NotDirectoryException  if the base directory is not a directory
     * @throws java.nio.file.FileSystemException    for any other failure, with the OS's reason
     * @throws UnsupportedOperationException       on a platform without POSIX FIFOs (Windows)
     * @throws IOException                          if an I/O error occurs
     */
    public static TempFifo create() throws IOException {
        return builder().create();
    }

    /**
     * Returns a builder for a FIFO with a chosen base directory, prefix, name or pipe capacity.
     *
     * @return a new builder with the defaults of {@link #create()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the FIFO's absolute path, to hand to another process.
     *
     * @return the path of the FIFO
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the private directory that holds the FIFO and nothing else.
     *
     * @return the FIFO's parent directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Opens the read end, waiting for a writer.
     *
     * <p>Blocks until another thread or process opens the FIFO for writing, at most
     * {@code timeout}. Reads from the stream block until data is written; they return -1 once
     * every writer has closed its end. Neither the open nor a read pins a virtual thread's
     * carrier: a virtual thread parks while it waits.
     *
     * @param timeout how long to wait for a writer; must be positive
     * @return a stream that reads from the FIFO; closing it releases a thread blocked in it
     * @throws FifoTimeoutException           if no writer opened the FIFO within {@code timeout}
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting (its
     *                                        interrupt status stays set)
     * @throws java.nio.file.FileSystemException if this TempFifo is or was closed while waiting,
     *                                        or the FIFO was removed or replaced
     * @throws IOException                    if an I/O error occurs
     */
    public InputStream openInputStream(Duration timeout) throws IOException {
        return Channels.newInputStream(openReadChannel(timeout));
    }

    /**
     * Opens the write end, waiting for a reader.
     *
     * <p>Blocks until another thread or process opens the FIFO for reading, at most
     * {@code timeout}. Writes block while the pipe is full; once every reader has closed its
     * end, they throw an {@link IOException} ("Broken pipe"). Neither the open nor a write pins
     * a virtual thread's carrier: a virtual thread parks while it waits.
     *
     * @param timeout how long to wait for a reader; must be positive
     * @return a stream that writes to the FIFO; closing it releases a thread blocked in it
     * @throws FifoTimeoutException           if no reader opened the FIFO within {@code timeout}
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting
     * @throws java.nio.file.FileSystemException if this TempFifo is or was closed while waiting
     * @throws IOException                    if an I/O error occurs
     */
    public OutputStream openOutputStream(Duration timeout) throws IOException {
        return Channels.newOutputStream(openWriteChannel(timeout));
    }

    /**
     * Opens the read end as a channel; otherwise as {@link #openInputStream(Duration)}.
     * The channel is interruptible: interrupting or closing it releases a blocked read. Does
     * not pin a virtual thread's carrier, nor do the channel's reads: a virtual thread parks.
     *
     * @param timeout how long to wait for a writer; must be positive
     * @return a channel that reads from the FIFO
     * @throws FifoTimeoutException           if no writer opened the FIFO within {@code timeout}
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting
     * @throws IOException                    as {@link #openInputStream(Duration)}
     */
    public ReadableByteChannel openReadChannel(Duration timeout) throws IOException {
        return open(false, timeout, null);
    }

    /**
     * Opens the write end as a channel; otherwise as {@link #openOutputStream(Duration)}.
     * The channel is interruptible: interrupting or closing it releases a blocked write. Does
     * not pin a virtual thread's carrier, nor do the channel's writes: a virtual thread parks.
     *
     * @param timeout how long to wait for a reader; must be positive
     * @return a channel that writes to the FIFO
     * @throws FifoTimeoutException           if no reader opened the FIFO within {@code timeout}
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting
     * @throws IOException                    as {@link #openOutputStream(Duration)}
     */
    public WritableByteChannel openWriteChannel(Duration timeout) throws IOException {
        return open(true, timeout, null);
    }

    /**
     * Opens the read end as {@link #openInputStream(Duration)} does, tied to the process that is
     * to write: if {@code peer} exits before opening the write end, the wait ends at once with
     * {@link FifoPeerExitedException} instead of lasting until the timeout (e.g. a consumer
     * such as {@code psql} that fails before it opens the FIFO). A peer that opens its end
     * behaves as with the plain open, even if it exits right after. Neither the open nor a read
     * pins a virtual thread's carrier.
     *
     * <p>The exit of a child of this JVM is noticed at once; that of any other process by the
     * JDK's polling ({@link ProcessHandle#onExit()}: a few hundred milliseconds at first, up to
     * 5 seconds after a long wait).
     *
     * @param timeout how long to wait for a writer; must be positive
     * @param peer    the process that is to open the write end; not this JVM
     * @return a stream that reads from the FIFO
     * @throws FifoPeerExitedException        if {@code peer} exited before opening the FIFO
     * @throws FifoTimeoutException           if no writer opened the FIFO within {@code timeout}
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting
     * @throws IllegalArgumentException       if {@code peer} is this JVM
     * @throws IOException                    as {@link #openInputStream(Duration)}
     */
    public InputStream openInputStream(Duration timeout, ProcessHandle peer) throws IOException {
        return Channels.newInputStream(openReadChannel(timeout, peer));
    }

    /**
     * Opens the write end as {@link #openOutputStream(Duration)} does, tied to the process that
     * is to read: ends at once with {@link FifoPeerExitedException} if {@code peer} exits before
     * opening the read end (see {@link #openInputStream(Duration, ProcessHandle)}). Neither the
     * open nor a write pins a virtual thread's carrier.
     *
     * @param timeout how long to wait for a reader; must be positive
     * @param peer    the process that is to open the read end; not this JVM
     * @return a stream that writes to the FIFO
     * @throws FifoPeerExitedException        if {@code peer} exited before opening the FIFO
     * @throws FifoTimeoutException           if no reader opened the FIFO within {@code timeout}
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting
     * @throws IllegalArgumentException       if {@code peer} is this JVM
     * @throws IOException                    as {@link #openOutputStream(Duration)}
     */
    public OutputStream openOutputStream(Duration timeout, ProcessHandle peer) throws IOException {
        return Channels.newOutputStream(openWriteChannel(timeout, peer));
    }

    /**
     * Opens the read end as a channel, tied to {@code peer}: as
     * {@link #openInputStream(Duration, ProcessHandle)}. Does not pin a virtual thread's
     * carrier, nor do the channel's reads.
     *
     * @param timeout how long to wait for a writer; must be positive
     * @param peer    the process that is to open the write end; not this JVM
     * @return a channel that reads from the FIFO
     * @throws FifoPeerExitedException        if {@code peer} exited before opening the FIFO
     * @throws FifoTimeoutException           if no writer opened the FIFO within {@code timeout}
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting
     * @throws IllegalArgumentException       if {@code peer} is this JVM
     * @throws IOException                    as {@link #openInputStream(Duration)}
     */
    public ReadableByteChannel openReadChannel(Duration timeout, ProcessHandle peer) throws IOException {
        return open(false, timeout, checkPeer(peer));
    }

    /**
     * Opens the write end as a channel, tied to {@code peer}: as
     * {@link #openOutputStream(Duration, ProcessHandle)}. Does not pin a virtual thread's
     * carrier, nor do the channel's writes.
     *
     * @param timeout how long to wait for a reader; must be positive
     * @param peer    the process that is to open the read end; not this JVM
     * @return a channel that writes to the FIFO
     * @throws FifoPeerExitedException        if {@code peer} exited before opening the FIFO
     * @throws FifoTimeoutException           if no reader opened the FIFO within {@code timeout}
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting
     * @throws IllegalArgumentException       if {@code peer} is this JVM
     * @throws IOException                    as {@link #openOutputStream(Duration)}
     */
    public WritableByteChannel openWriteChannel(Duration timeout, ProcessHandle peer) throws IOException {
        return open(true, timeout, checkPeer(peer));
    }

    /** How long after the peer's exit an open still waiting is taken as never matched. */
    private static final long PEER_GRACE_MILLIS = 100;

    /**
     * Completes with the exception for an open still waiting some time after {@code peer}'s exit.
     * The grace: a peer that opened its end, wrote and exited may be seen gone before the thread
     * that has just returned from {@code open(2)} has finished the open, which must then succeed.
     * The JDK sees a child exit at once ({@code waitid}); another process by polling (300 ms
     * apart at first, up to 5 s after a long wait).
     */
    private java.util.concurrent.CompletionStage<IOException> exitOf(java.util.concurrent.CompletableFuture<ProcessHandle> exit, long pid) {
        Path fifo = path;
        return exit.thenApplyAsync(p -> new FifoPeerExitedException(fifo, pid), PeerGrace.AFTER);
    }

    /** One executor for all peer-tied opens, made on the first (nothing for create/close to load). */
    private static final class PeerGrace {
        /** Runs a task {@code PEER_GRACE_MILLIS} after it is given. */
        static final java.util.concurrent.Executor AFTER =
                java.util.concurrent.CompletableFuture.delayedExecutor(PEER_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static ProcessHandle checkPeer(ProcessHandle peer) {
        Objects.requireNonNull(peer, "peer");
        if (peer.pid() == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("the peer must be another process, not this JVM (pid " + peer.pid() + ")");
        }
        return peer;
    }

    /**
     * Copies a file into the FIFO: opens {@code source}, then the write end (waiting for a
     * reader as {@link #openWriteChannel(Duration)} does), copies the whole file, and closes both.
     * The fastest way to feed a file to the program reading the FIFO: on the FFM backend the
     * kernel moves the file's pages into the pipe ({@code splice(2)}, no copy through the JVM);
     * on the portable backend {@link java.nio.channels.FileChannel#transferTo} does the same with
     * {@code sendfile(2)}. A source the kernel can't splice from (e.g. some {@code /proc} files)
     * is copied through a buffer. Which way was taken is logged once, at {@code DEBUG} level.
     *
     * <p>Blocks until a reader opens the FIFO (at most {@code timeout}), then while the pipe is
     * full, for as long as the reader takes. Interrupting the thread or closing this TempFifo
     * releases the wait for a reader; interrupting the thread also releases the copy. Does not
     * pin a virtual thread's carrier: a virtual thread parks while it waits.
     *
     * @param source  the file to copy; it is read from its start to its end
     * @param timeout how long to wait for a reader; must be positive
     * @return the number of bytes copied
     * @throws java.nio.file.NoSuchFileException if {@code source} does not exist (checked before
     *                                           waiting for a reader)
     * @throws FifoTimeoutException              if no reader opened the FIFO within {@code timeout}
     * @throws java.io.InterruptedIOException    if the thread was interrupted while waiting or copying
     * @throws IOException                       if the reader closed its end before the end of the
     *                                           file ("Broken pipe"), or another I/O error occurs
     */
    public long transferFrom(Path source, Duration timeout) throws IOException {
        Objects.requireNonNull(source, "source");
        try (FifoBackend.FileSource file = backend.openSource(source);
             WritableByteChannel out = openWriteChannel(timeout)) {
            long n = file.transferTo(out);
            TransferLog.once(file.method());
            return n;
        }
    }

    /** Says once per way of copying (at DEBUG) how {@link #transferFrom} copied. */
    private static final class TransferLog {
        private static final java.util.Set<String> SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

        static void once(String method) {
            if (SEEN.add(method)) {
                System.getLogger("io.github.tempfifo").log(System.Logger.Level.DEBUG,
                        "TempFifo.transferFrom copies with " + method + " (" + backend() + " backend)");
            }
        }
    }

    private ByteChannel open(boolean write, Duration timeout, ProcessHandle peer) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (closed) {
            throw CancellableOpen.closedException(path);
        }
        java.util.concurrent.CompletableFuture<ProcessHandle> exit = peer == null ? null : peer.onExit();
        try {
            return CancellableOpen.open(backend, held, path, write, pipeCapacity, timeout, opens, exit == null ? null : exitOf(exit, peer.pid()));
        } finally {
            if (exit != null) {
                // The open is over: forget the peer, so that its exit runs nothing (onExit's
                // stage would start a thread for nothing).
                exit.cancel(false);
            }
            // Nothing below holds this TempFifo: without the fence it could become unreachable
            // while the open waits (e.g. TempFifo.create().openInputStream(…)), and the Cleaner
            // would remove the FIFO the other process is about to open.
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Tells whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Removes the FIFO and its private directory. Opens still waiting are released (they throw).
     * Ends already opened keep working: a pipe lives as long as an end is open, with or without
     * its name. Idempotent and thread-safe: later calls return at once, concurrent ones once the
     * files are gone.
     *
     * @throws IOException if the files could not be removed (they are then left for
     *                     {@link #sweep(Path, Duration)}, or removed at exit)
     */
    @Override
    public void close() throws IOException {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            opens.close(); // before the files go: the wake-up of a waiting open goes through them
            cleanup.delete();
        }
    }

    /**
     * Removes what crashed processes left in {@code base}: the private directories (and their
     * FIFOs) whose owning process is gone, and those without an owner (see
     * {@link Builder#unowned()}) last modified more than {@code unownedOlderThan}
     * ago. Never touches anything else: a directory must have the name, owner (this user), mode
     * and contents (FIFOs only) of one of ours; never follows a symbolic link; never removes the
     * directory of a running owner (a reused pid is told apart by its start time).
     *
     * <p>Safe to run at any time, from any process of the same user (e.g. from cron).
     *
     * <p>Checks and removals go through file descriptors opened without following links, so a
     * directory renamed or replaced by a symlink during the sweep can't redirect it. Run it as
     * the user whose directories it should clean: it only ever removes directories (and FIFOs)
     * owned by the user it runs as, root included. Owners are told apart by pid, so run it in
     * the same pid namespace as the programs that create FIFOs in {@code base}.
     *
     * @param base             the base directory to clean
     * @param unownedOlderThan the age from which directories without an owner are removed
     * @return the private directories removed, sorted
     * @throws java.nio.file.AccessDeniedException if {@code base} is unsafe (see
     *                     {@link Builder#directory(Path)}): another user could swap its entries
     * @throws IOException if {@code base} can't be listed (a directory that can't be removed
     *                     is skipped with a warning)
     */
    public static List<Path> sweep(Path base, Duration unownedOlderThan) throws IOException {
        return Sweeper.sweep(FifoBackend.get(), base, checkAge(unownedOlderThan));
    }

    /**
     * As {@link #sweep(Path, Duration)}, removing directories without an owner after 24 hours.
     *
     * @param base the base directory to clean
     * @return the private directories removed, sorted
     * @throws IOException if {@code base} can't be listed
     */
    public static List<Path> sweep(Path base) throws IOException {
        return sweep(base, DEFAULT_UNOWNED_AGE);
    }

    /**
     * What {@link #sweep(Path, Duration)} would remove, removing nothing (a dry run).
     *
     * @param base             the base directory to look in
     * @param unownedOlderThan the age from which directories without an owner are stale
     * @return the stale private directories in {@code base}, sorted
     * @throws java.nio.file.AccessDeniedException if {@code base} is unsafe
     * @throws IOException if {@code base} can't be listed
     */
    public static List<Path> findStale(Path base, Duration unownedOlderThan) throws IOException {
        return Sweeper.findStale(FifoBackend.get(), base, checkAge(unownedOlderThan));
    }

    /**
     * Removes a FIFO made by tempfifo and its private directory, typically one made with
     * {@link Builder#deleteOnExit(boolean) deleteOnExit(false)} by another process (as
     * {@code tempfifo mk} does). Refuses, touching nothing, anything else: a path that is not a
     * FIFO (a regular file, a directory, a symbolic link, which is never followed), or a FIFO
     * whose directory is not a tempfifo private directory of this user (name, owner, mode 0700,
     * nothing but this FIFO in it). Does not block.
     *
     * @param fifo the FIFO's path
     * @throws java.nio.file.NoSuchFileException if nothing is at {@code fifo}
     * @throws java.nio.file.FileSystemException if {@code fifo} is refused, saying why
     * @throws IOException                       if an I/O error occurs
     */
    public static void delete(Path fifo) throws IOException {
        Sweeper.deleteOne(FifoBackend.get(), Objects.requireNonNull(fifo, "fifo"));
    }

    /**
     * Returns the base directory used when none is given: {@code $TMPDIR} when it is set (as for
     * {@code mktemp(1)}); else {@code $XDG_RUNTIME_DIR} when it is set, owned by this user and of
     * mode 0700; else {@code java.io.tmpdir}. The same default as the {@code tempfifo} command.
     *
     * @return the default base directory
     */
    public static Path defaultDirectory() {
        return BaseDirectory.defaultBase();
    }

    private static Duration checkAge(Duration age) {
        Objects.requireNonNull(age, "unownedOlderThan");
        if (age.isNegative()) {
            throw new IllegalArgumentException("age must not be negative: " + age);
        }
        return age;
    }

    /**
     * Returns the FIFO's path as a string.
     *
     * @return {@code path().toString()}
     */
    @Override
    public String toString() {
        return path.toString();
    }

    /**
     * Returns the backend in use in this JVM, chosen on first use (see the class description).
     *
     * @return {@link Backend#FFM} (Foreign Function &amp; Memory API) or {@link Backend#PORTABLE}
     *         (the {@code mkfifo} program and pure Java)
     */
    public static Backend backend() {
        return FifoBackend.get().isNative() ? Backend.FFM : Backend.PORTABLE;
    }

    /**
     * Builds a {@link TempFifo}, after Rust's {@code tempfile::Builder}. Arguments are checked as
     * they are given, before anything is created. Not thread-safe; reusable.
     */
    public static final class Builder {
        private Path base;
        private String prefix = DEFAULT_PREFIX;
        private String name = DEFAULT_NAME;
        private int pipeCapacity;
        private boolean deleteOnExit = true;
        private Owner owner;       // null: this JVM, unless unowned
        private boolean unowned;
        private final Map<UserPrincipal, Set<AccessMode>> shares = new LinkedHashMap<>();
        private Sharing sharing; // the principals' ids, looked up on the first create after a shareWith

        private Builder() {
        }

        /**
         * The base directory in which the private directory is made (default: see
         * {@link TempFifo#create()}). It must be owned by this user or root, and not writable by
         * other users unless it has the sticky bit (as {@code /tmp} has).
         *
         * @param base the base directory
         * @return this builder
         */
        public Builder directory(Path base) {
            this.base = Objects.requireNonNull(base, "base");
            return this;
        }

        /**
         * The start of the private directory's name (default {@code "tempfifo-"}); random
         * characters and the owner follow it. May be empty.
         *
         * @param prefix the directory name's start
         * @return this builder
         * @throws IllegalArgumentException if it contains {@code /} or NUL, is not valid
         *                                  Unicode, or leaves no room for the rest of the name
         */
        public Builder prefix(String prefix) {
            this.prefix = FileNames.checkPrefix(Objects.requireNonNull(prefix, "prefix"));
            return this;
        }

        /**
         * The FIFO's file name (default {@code "fifo"}).
         *
         * @param name the FIFO's file name
         * @return this builder
         * @throws IllegalArgumentException if it is empty, {@code .} or {@code ..}, contains
         *                                  {@code /} or NUL, or is over 255 bytes in UTF-8
         */
        public Builder name(String name) {
            this.name = FileNames.checkName("name", Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * Asks for a pipe buffer of {@code bytes} (Linux {@code F_SETPIPE_SZ}), applied by each
         * open of an end. The kernel rounds it up to a power-of-two number of pages and caps it
         * ({@code /proc/sys/fs/pipe-max-size}, {@code pipe-user-pages-soft}); a request it refuses
         * is ignored. A no-op on the portable backend and on systems without
         * {@code F_SETPIPE_SZ}. Default: the system's (64 KiB on Linux).
         *
         * @param bytes the pipe buffer size to ask for
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder pipeCapacity(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("pipe capacity must be positive: " + bytes);
            }
            this.pipeCapacity = bytes;
            return this;
        }

        /**
         * Whether the FIFO is removed when the JVM exits (normally, or on SIGTERM, SIGINT or
         * SIGHUP) or when the TempFifo becomes unreachable. Default {@code true}. With
         * {@code false} the FIFO outlives the JVM unless closed. It still has an owner for
         * {@link TempFifo#sweep(Path, Duration)} (this JVM, unless {@link #owner(ProcessHandle)}
         * or {@link #unowned()} says otherwise), so a sweep removes it once that owner has exited.
         *
         * @param deleteOnExit false to keep the FIFO after the JVM exits
         * @return this builder
         */
        public Builder deleteOnExit(boolean deleteOnExit) {
            this.deleteOnExit = deleteOnExit;
            return this;
        }

        /**
         * Records {@code process} as the owner of the private directory, so that
         * {@link TempFifo#sweep(Path, Duration)} removes it once that process has exited (its
         * pid and start time are recorded, so a later process given the same pid is not
         * mistaken for it). Default: this JVM. Typically used with {@code deleteOnExit(false)}
         * for a FIFO made on behalf of another process, such as the shell script that called
         * {@code tempfifo mk --owner $$}. Replaces an earlier {@link #unowned()}.
         *
         * @param process the owning process; must be running
         * @return this builder
         * @throws IllegalArgumentException if {@code process} is not running, or its start time
         *                                  can't be read
         */
        public Builder owner(ProcessHandle process) {
            Objects.requireNonNull(process, "process");
            this.unowned = false;
            this.owner = Owner.of(process.pid()).filter(o -> process.isAlive()).orElseThrow(() ->
                    new IllegalArgumentException("process " + process.pid() + " is not running (or its start time can't be read)"));
            return this;
        }

        /**
         * Records no owner process: {@link TempFifo#sweep(Path, Duration)} then removes the
         * directory only by age (when it was last modified longer ago than its
         * {@code unownedOlderThan}), never because a process exited. For a FIFO that must outlive
         * every process that knows of it, with {@code deleteOnExit(false)} (as
         * {@code tempfifo mk} without {@code --owner}). Replaces an earlier
         * {@link #owner(ProcessHandle)}.
         *
         * @return this builder
         */
        public Builder unowned() {
            this.unowned = true;
            this.owner = null;
            return this;
        }

        /**
         * Lets another user's processes open the FIFO: {@code principal} (a user, or a
         * {@link java.nio.file.attribute.GroupPrincipal GroupPrincipal}, from
         * {@link java.nio.file.FileSystem#getUserPrincipalLookupService()}) may open it for
         * {@link AccessMode#READ READ} and/or {@link AccessMode#WRITE WRITE}, as asked, and may
         * search (never list) its private directory; no one else gains anything. Repeatable:
         * the modes of one principal add up. Typical use: a database server that opens the path
         * as its own user ({@code COPY … FROM '/tmp/…/fifo'}).
         *
         * <p>Done with a POSIX ACL on the FIFO and on the directory (whose mode then shows
         * {@code 0710}: the ACL mask caps every named principal at search); for a single group
         * that this process may give its files (as root, or as a member), with the files' group
         * and mode bits instead. With sharing and no {@link #directory(Path)}, the base is the
         * first of {@code $TMPDIR}, {@code java.io.tmpdir}, {@code /tmp}, {@code /dev/shm} that the principals
         * can reach (never {@code $XDG_RUNTIME_DIR}, which is 0700). {@link #create()} then
         * throws {@link java.nio.file.AccessDeniedException} naming the principal and the
         * directory that stops it, if a principal can't search its way to the base, and a
         * {@link java.nio.file.FileSystemException} saying what is missing if neither ACLs nor
         * the group route are possible; nothing is left behind. The FIFO's path remains
         * visible to anyone who sees the consumer's command line or logs: see SECURITY.md.
         *
         * @param principal the user or group to share with
         * @param modes     {@code READ} (the principal reads what is written) and/or
         *                  {@code WRITE}; at least one
         * @return this builder
         * @throws IllegalArgumentException if {@code modes} is empty or holds {@code EXECUTE}
         */
        public Builder shareWith(UserPrincipal principal, AccessMode... modes) {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(modes, "modes");
            if (modes.length == 0) {
                throw new IllegalArgumentException("shareWith " + principal.getName() + ": give READ and/or WRITE");
            }
            Set<AccessMode> set = EnumSet.noneOf(AccessMode.class);
            for (AccessMode mode : modes) {
                if (Objects.requireNonNull(mode, "mode") == AccessMode.EXECUTE) {
                    throw new IllegalArgumentException("shareWith " + principal.getName()
                            + ": a FIFO can't be executed; give READ and/or WRITE");
                }
                set.add(mode);
            }
            shares.computeIfAbsent(principal, p -> EnumSet.noneOf(AccessMode.class)).addAll(set);
            sharing = null;
            return this;
        }

        /**
         * Creates the private directory and the FIFO in it.
         *
         * @return the new FIFO; close it to remove it
         * @throws IOException as {@link TempFifo#create()}; nothing is left behind
         */
        public TempFifo create() throws IOException {
            return create(1).get(0);
        }

        /**
         * Creates {@code count} FIFOs, each in a new private directory of its own, as
         * {@code count} calls of {@link #create()} would, but at once: the portable backend then
         * runs the {@code mkfifo} program once for all of them instead of once each (see
         * docs/performance.md). Use it when a program needs several FIFOs at a time.
         *
         * @param count how many FIFOs to create; 0 gives an empty list
         * @return the new FIFOs, in no particular order of names; close each to remove it
         * @throws IllegalArgumentException if {@code count} is negative
         * @throws IOException as {@link TempFifo#create()}; if any FIFO can't be created, none is
         *                     left behind
         */
        public List<TempFifo> create(int count) throws IOException {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative: " + count);
            }
            requirePosix(FileSystems.getDefault());
            FifoBackend backend = FifoBackend.get();
            if (sharing == null && !shares.isEmpty()) {
                sharing = Sharing.of(shares);
            }
            Sharing sharing = this.sharing;
            Path base = (this.base != null ? this.base
                    : sharing != null ? sharing.defaultBase(backend) : BaseDirectory.defaultBase()).toAbsolutePath();
            BaseDirectory.checkCached(backend, base);
            if (sharing != null && this.base != null) { // the default base was checked reachable when chosen
                sharing.checkReachable(base);
            }
            Owner owner = unowned ? null : this.owner != null ? this.owner : Owner.current();
            List<FifoBackend.PrivateDirectory> dirs = new ArrayList<>(count);
            try {
                for (int i = 0; i < count; i++) {
                    dirs.add(createPrivateDirectory(backend, base, owner));
                }
                resolve(base, name); // a name the platform can't encode: IllegalArgumentException before mkfifo
                backend.createFifos(dirs, name);
                if (sharing != null) {
                    for (FifoBackend.PrivateDirectory dir : dirs) {
                        sharing.apply(backend, dir.path().resolve(name));
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                for (FifoBackend.PrivateDirectory dir : dirs) {
                    try {
                        backend.deleteFifo(dir, name); // made if mkfifo failed on a later one
                    } catch (java.nio.file.NoSuchFileException notMade) {
                        // the usual case
                    } catch (IOException | RuntimeException suppressed) {
                        e.addSuppressed(suppressed); // e.g. the name that failed: still remove the directory
                    }
                    try {
                        backend.deleteDirectory(dir);
                    } catch (IOException | RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    } finally {
                        dir.close();
                    }
                }
                throw e;
            }
            List<TempFifo> created = new ArrayList<>(count);
            for (FifoBackend.PrivateDirectory dir : dirs) {
                created.add(new TempFifo(backend, dir, name, pipeCapacity, deleteOnExit));
            }
            return created;
        }

        private FifoBackend.PrivateDirectory createPrivateDirectory(FifoBackend backend, Path base, Owner owner) throws IOException {
            for (int attempt = 1; ; attempt++) {
                Path candidate = resolve(base, PrivateDirectoryName.newName(prefix, owner));
                try {
                    return backend.createPrivateDirectory(candidate);
                } catch (FileAlreadyExistsException e) {
                    if (attempt == MAX_ATTEMPTS) {
                        throw e; // 80 random bits: only a broken random source gets here
                    }
                }
            }
        }

        private static Path resolve(Path dir, String child) {
            try {
                return dir.resolve(child);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("\"" + child + "\" can't be a file name here (sun.jnu.encoding="
                        + System.getProperty("sun.jnu.encoding") + "): " + e.getMessage(), e);
            }
        }
    }

    /** Throws on a file system without POSIX semantics (Windows): it has no FIFOs. */
    static void requirePosix(java.nio.file.FileSystem fs) {
        if (!fs.supportedFileAttributeViews().contains("posix")) {
            throw new UnsupportedOperationException("tempfifo needs POSIX named pipes (FIFOs), which this platform ("
                    + System.getProperty("os.name") + ") does not have");
        }
    }
}
