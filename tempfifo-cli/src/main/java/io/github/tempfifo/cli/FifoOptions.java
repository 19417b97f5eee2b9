package io.github.tempfifo.cli;

import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that say where and how FIFOs are made: {@code --dir} and {@code --prefix}. A picocli
 * mixin, shared by {@code run} and {@code mk}.
 */
final class FifoOptions {
    @Mixin
    BaseDirectoryOption directory = new BaseDirectoryOption();

    @Option(names = "--prefix", paramLabel = "P",
            description = "Start of each private directory's name (default: tempfifo-).")
    String prefix;

    /**
     * @return a builder with these options applied
     * @throws UsageException if {@code --prefix} can't start a file name
     */
    TempFifo.Builder builder() {
        TempFifo.Builder builder = TempFifo.builder();
        if (directory.dir != null) {
            builder.directory(directory.dir); // else the library's default, whatever it is for these options
        }
        if (prefix != null) {
            try {
                builder.prefix(prefix);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--prefix: " + e.getMessage());
            }
        }
        return builder;
    }
}
