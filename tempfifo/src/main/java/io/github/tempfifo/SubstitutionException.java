package io.github.tempfifo;

import java.io.IOException;
import java.util.List;

/**
 * Thrown by {@link FifoProcess#waitFor()} when the Java side of a substitution (an
 * {@link InputWriter}, {@link OutputReader}, or a stream or file given to
 * {@link FifoProcessBuilder}) threw. The first such exception is the cause; the others are
 * suppressed. Failed commands do not throw: their exit status is in the {@linkplain #results() results}.
 */
public final class SubstitutionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient List<SubstitutionResult> results;

    /** Made by {@link FifoProcess} only: the results are those of its substitutions. */
    SubstitutionException(String message, Throwable cause, List<SubstitutionResult> results) {
        super(message, cause);
        this.results = List.copyOf(results);
    }

    /**
     * Returns the results of all the substitutions of the process.
     *
     * @return the results in registration order (empty after deserialization)
     */
    public List<SubstitutionResult> results() {
        return results == null ? List.of() : results;
    }
}
