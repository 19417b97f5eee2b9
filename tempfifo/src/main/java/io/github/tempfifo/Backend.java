package io.github.tempfifo;

/**
 * How tempfifo makes its system calls in this JVM, as {@link TempFifo#backend()} reports it.
 * Chosen once, on first use; the system property {@code tempfifo.backend} ({@code ffm} or
 * {@code portable}, the values' {@link #toString()}) forces a choice.
 */
public enum Backend {
    /** The Foreign Function &amp; Memory API: Java 22+ with native access enabled, Linux x86_64 and aarch64. */
    FFM,
    /** The system's {@code mkfifo} program and pure Java: Java 17+, anywhere with POSIX FIFOs. */
    PORTABLE;

    /**
     * Returns the backend's short name, as the system property {@code tempfifo.backend} takes it.
     *
     * @return {@code "ffm"} or {@code "portable"}
     */
    @Override
    public String toString() {
        return this == FFM ? "ffm" : "portable";
    }
}
