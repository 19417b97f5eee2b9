package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;

/**
 * POSIX ACLs through the {@code setfacl} and {@code getfacl} programs (Debian/Ubuntu package
 * {@code acl}), run by absolute path without a shell, for backends that can't call
 * {@code setxattr(2)}. {@code -P} keeps them from following a symbolic link.
 */
final class AclPrograms {
    private static final String SETFACL = Programs.find("setfacl");
    private static final String GETFACL = Programs.find("getfacl");

    private AclPrograms() {
    }

    static void set(Path path, PosixAcl acl) throws IOException {
        if (SETFACL == null) {
            throw new FileSystemException(path.toString(), null, "can't share it: no setfacl program in /usr/bin or /bin "
                    + "(install the acl package, run on Java 22+ with native access, or share with a group you belong to)");
        }
        Programs.Result r = Programs.run(List.of(SETFACL, "-P", "--set", acl.toText(), "--", path.toString()));
        if (r.status() != 0) {
            // setfacl reports its errno only as text. On a file we just made, own and name by a
            // path no one else can change, the one failure left is a file system without ACLs.
            FileSystemException e = Sharing.noAcls(path);
            throw new FileSystemException(e.getFile(), null, e.getReason() + " (" + SETFACL + ": " + r.output() + ")");
        }
    }

    /** @return whether {@code path} has ACL entries beyond the mode bits; false when getfacl is missing */
    static boolean has(Path path) throws IOException {
        if (GETFACL == null) {
            return false;
        }
        Programs.Result r = Programs.run(List.of(GETFACL, "-P", "-s", "-n", "--absolute-names", "--", path.toString()));
        if (r.status() != 0) {
            throw new FileSystemException(path.toString(), null, GETFACL + " failed (" + r.status() + "): " + r.output());
        }
        return !r.output().isEmpty(); // -s: nothing for a file with only the base entries
    }
}
