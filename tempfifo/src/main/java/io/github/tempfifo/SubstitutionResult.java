package io.github.tempfifo;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one substitution of a {@link FifoProcess} ended. Immutable.
 */
public final class SubstitutionResult {
    /** The ways a substitution ends. */
    public enum Outcome {
        /** All data went through: the Java side returned normally, or the command exited 0. */
        COMPLETED,
        /**
         * The program stopped reading before the end of the data, as {@code head} does, so that
         * writes failed with {@code EPIPE} (a command died of {@code SIGPIPE}); or the
         * substitution was still running when the program had exited and it was ended.
         * Normal, not a failure.
         */
        CUT_OFF,
        /**
         * The program exited without opening the FIFO (an output FIFO: without writing anything
         * to it). The Java side was not called and the command was not started.
         */
        NEVER_OPENED,
        /**
         * The Java side threw (see {@link #exception()}), or the command exited with a status
         * other than 0 (see {@link #exitStatus()}), or could not be started.
         */
        FAILED
    }

    private final int index;
    private final Path path;
    private final String description;
    private final Outcome outcome;
    private final Throwable exception;
    private final Integer exitStatus;

    SubstitutionResult(int index, Path path, String description, Outcome outcome, Throwable exception, Integer exitStatus) {
        this.index = index;
        this.path = path;
        this.description = description;
        this.outcome = Objects.requireNonNull(outcome);
        this.exception = exception;
        this.exitStatus = exitStatus;
    }

    /**
     * Returns the substitution's number: 1 for the first one registered, 2 for the next…
     *
     * @return the 1-based index in registration order
     */
    public int index() {
        return index;
    }

    /**
     * Returns the FIFO the program was given (removed by now).
     *
     * @return the FIFO's path
     */
    public Path path() {
        return path;
    }

    /**
     * Returns what the substitution was, for messages: the command line, or the kind of Java source or sink.
     *
     * @return a short description
     */
    public String description() {
        return description;
    }

    /**
     * Returns how the substitution ended.
     *
     * @return the outcome
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * Tells whether the substitution failed; {@link Outcome#CUT_OFF} and
     * {@link Outcome#NEVER_OPENED} are not failures.
     *
     * @return true if the outcome is {@link Outcome#FAILED}
     */
    public boolean failed() {
        return outcome == Outcome.FAILED;
    }

    /**
     * Returns what the Java side threw, or why the command could not be started; for
     * {@link Outcome#CUT_OFF}, the "Broken pipe" exception that ended the writes, if any.
     *
     * @return the exception, if there was one
     */
    public Optional<Throwable> exception() {
        return Optional.ofNullable(exception);
    }

    /**
     * Returns the command's exit status (128 + N when it was killed by signal N, as in a shell).
     *
     * @return the exit status, if the substitution was a command that was started
     */
    public OptionalInt exitStatus() {
        return exitStatus == null ? OptionalInt.empty() : OptionalInt.of(exitStatus);
    }

    @Override
    public String toString() {
        return "{" + index + "} " + description + ": " + outcome
                + (exitStatus != null ? " (exit status " + exitStatus + ")" : "")
                + (exception != null ? " (" + exception + ")" : "");
    }
}
