/**
 * Secure temporary named pipes (FIFOs).
 *
 * <p>The only exported package is {@link io.github.tempfifo}. On Java 22+ the module uses the
 * Foreign Function &amp; Memory API when native access is enabled for it
 * ({@code --enable-native-access=io.github.tempfifo}, or {@code ALL-UNNAMED} on the class path);
 * otherwise it falls back to a portable, pure-Java backend.
 */
module io.github.tempfifo {
    exports io.github.tempfifo;
}
