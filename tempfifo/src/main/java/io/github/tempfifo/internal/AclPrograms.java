package io.github.tempfifo.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * POSIX ACLs through the {@code setfacl} and {@code getfacl} programs (Debian/Ubuntu package
 * {@code acl}), run by absolute path without a shell, for backends that can't call
 * {@code setxattr(2)}. {@code -P} keeps them from following a symbolic link.
 */
final class AclPrograms {
    private static final String SETFACL = find("setfacl");
    private static final String GETFACL = find("getfacl");

    private AclPrograms() {
    }

    static void set(Path path, PosixAcl acl) throws IOException {
        if (SETFACL == null) {
            throw new FileSystemException(path.toString(), null, "can't share it: no setfacl program in /usr/bin or /bin "
                    + "(install the acl package, run on Java 22+ with native access, or share with a group you belong to)");
        }
        Result r = run(SETFACL, "-P", "--set", acl.toText(), "--", path.toString());
        if (r.status != 0) {
            // setfacl reports nothing but text; LC_ALL=C makes it this text
            if (r.output.contains("Operation not supported")) {
                throw Sharing.noAcls(path);
            }
            throw new FileSystemException(path.toString(), null, SETFACL + " failed (" + r.status + "): " + r.output);
        }
    }

    /** @return whether {@code path} has ACL entries beyond the mode bits; false when getfacl is missing */
    static boolean has(Path path) throws IOException {
        if (GETFACL == null) {
            return false;
        }
        Result r = run(GETFACL, "-P", "-s", "-n", "--absolute-names", "--", path.toString());
        if (r.status != 0) {
            throw new FileSystemException(path.toString(), null, GETFACL + " failed (" + r.status + "): " + r.output);
        }
        return !r.output.isEmpty(); // -s: nothing for a file with only the base entries
    }

    private record Result(int status, String output) {
    }

    private static Result run(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        try {
            return new Result(p.waitFor(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running " + command[0]);
        }
    }

    private static String find(String program) {
        for (String dir : new String[] {"/usr/bin/", "/bin/"}) {
            if (Files.isExecutable(Path.of(dir + program))) {
                return dir + program;
            }
        }
        return null;
    }
}
