package io.github.tempfifo.cli;

/**
 * A command line that can't be run as given: reported as one line with the reason and a hint to
 * {@code --help}, exit status 2. Thrown where picocli's {@code ParameterException} can't be (it
 * needs a parsed model, which {@code run} never builds).
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
