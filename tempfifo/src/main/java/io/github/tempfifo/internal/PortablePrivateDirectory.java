package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;

/**
 * A private directory held open by the JDK's {@link SecureDirectoryStream} (portable backend):
 * its {@code openat}, {@code fstatat} and {@code unlinkat} act in this very directory whatever
 * its path leads to now. {@code stream} is null where the JDK offers no such stream (not Linux):
 * there the backend works by path, as SECURITY.md says.
 */
final class PortablePrivateDirectory extends FifoBackend.PrivateDirectory {
    /** Two descriptors (the JDK's {@code DIR*} and a duplicate for the {@code *at} calls), or null. */
    final SecureDirectoryStream<Path> stream;
    /** The directory's identity (device and inode), read through the stream when it was made. */
    final Object key;

    PortablePrivateDirectory(Path path, SecureDirectoryStream<Path> stream, Object key) {
        super(path);
        this.stream = stream;
        this.key = key;
    }

    /**
     * Blocks until calls in progress on the stream (the JDK's lock) have returned: a waiting
     * open must have been released first, as {@code TempFifo.close()} does.
     */
    @Override
    public void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing a directory descriptor: nothing to recover
            }
        }
    }
}
