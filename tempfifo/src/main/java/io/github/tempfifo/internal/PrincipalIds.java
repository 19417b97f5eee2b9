package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numeric ids behind a {@link UserPrincipal} or {@link GroupPrincipal}: what an ACL entry
 * names and what a traversal check compares. Java keeps them private, so they are asked of the
 * system's user database through {@code /usr/bin/id} and {@code /usr/bin/getent} (run by
 * absolute path, no shell, {@code LC_ALL=C}), which see the same users (NSS) as the kernel's
 * callers do.
 *
 * @param name   the name it was looked up by
 * @param id     the uid of a user, the gid of a group
 * @param group  true for a group
 * @param gids   a user's primary and supplementary groups; empty for a group
 */
public record PrincipalIds(String name, int id, boolean group, List<Integer> gids) {
    private static final Pattern ID_OUTPUT = Pattern.compile("uid=(\\d+)\\S* gid=(\\d+)\\S*(?: groups=(\\S*))?");
    private static final Pattern GROUP_IN_LIST = Pattern.compile("(\\d+)(?:\\([^)]*\\))?");

    /** @throws UserPrincipalNotFoundException if the system does not know it */
    public static PrincipalIds of(UserPrincipal principal) throws IOException {
        String name = principal.getName();
        if (principal instanceof GroupPrincipal) {
            String line = run(name, "/usr/bin/getent", "group", name);
            String[] fields = line.split(":", -1);
            if (fields.length < 3 || !fields[2].matches("\\d+")) {
                throw new UserPrincipalNotFoundException(name);
            }
            return new PrincipalIds(name, Integer.parseUnsignedInt(fields[2]), true, List.of());
        }
        String line = run(name, "/usr/bin/id", name);
        Matcher m = ID_OUTPUT.matcher(line);
        if (!m.lookingAt()) {
            throw new UserPrincipalNotFoundException(name);
        }
        List<Integer> gids = new ArrayList<>();
        gids.add(Integer.parseUnsignedInt(m.group(2)));
        if (m.group(3) != null) {
            for (String g : m.group(3).split(",")) {
                Matcher gm = GROUP_IN_LIST.matcher(g);
                if (gm.matches()) {
                    gids.add(Integer.parseUnsignedInt(gm.group(1)));
                }
            }
        }
        return new PrincipalIds(name, Integer.parseUnsignedInt(m.group(1)), false, List.copyOf(gids));
    }

    /** Whether this principal gets the search ({@code x}) right on a directory of this owner, group and mode. */
    public boolean canSearch(int uid, int gid, int mode) {
        if (group) {
            return (mode & (gid == id ? 0010 : 0001)) != 0;
        }
        if (id == 0) {
            return true; // root searches anything with any x bit, and nothing else stops it
        }
        if (uid == id) {
            return (mode & 0100) != 0;
        }
        return (mode & (gids.contains(gid) ? 0010 : 0001)) != 0;
    }

    @Override
    public String toString() {
        return (group ? "group " : "user ") + name;
    }

    private static String run(String name, String... command) throws IOException {
        if (!Files.isExecutable(Path.of(command[0]))) {
            throw new IOException("can't look up " + name + ": no " + command[0] + " on this system");
        }
        Programs.Result r = Programs.run(List.of(command));
        if (r.status() != 0) {
            throw new UserPrincipalNotFoundException(name);
        }
        return r.output();
    }
}
