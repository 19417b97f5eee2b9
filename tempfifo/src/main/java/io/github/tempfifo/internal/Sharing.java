package io.github.tempfifo.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives named users and groups just what they were granted on a FIFO, and search (never list)
 * on its private directory; recognises the private directories so shared.
 *
 * <p>Two routes. <b>ACL</b> (the default): the FIFO gets {@code user::rw-}, one named entry per
 * principal with its modes, {@code group::---}, {@code other::---}; the directory
 * {@code user::rwx}, a {@code --x} entry per principal, {@code group::---}, {@code other::---}.
 * The mask (the mode's group bits) is the union of the named entries, so the directory's mode
 * becomes 0710 and caps every named entry at search. <b>Group</b>: when the only principal is a
 * group that this process may give its files (root, or a member), the FIFO and the directory are
 * given that group with modes {@code 06x0} and 0710; no ACL is needed.
 *
 * <p>Order: the FIFO is shared first, while the directory is still 0700 (no one else can reach
 * the FIFO yet, and nothing else can be in the directory); the directory is opened last. Both
 * changes are made by path, without following a link: the FIFO's path lies inside the private
 * directory, which only this user (and root) can change, and the directory's path inside a base
 * directory checked to be one in which no other user can rename or replace entries.
 * ({@code fsetxattr} on the {@code O_PATH} descriptor tempfifo holds is refused by Linux, so a
 * descriptor would buy nothing a path in a private directory does not already give.)
 */
public final class Sharing {
    private static final Set<PosixFilePermission> SHARED_DIRECTORY = PosixFilePermissions.fromString("rwx--x---");

    private final List<PrincipalIds> principals;
    private final List<Integer> perms;      // rwx bits per principal
    private final GroupPrincipal groupRoute; // non-null: share by the files' group, not by ACL

    private Sharing(List<PrincipalIds> principals, List<Integer> perms, GroupPrincipal groupRoute) {
        this.principals = principals;
        this.perms = perms;
        this.groupRoute = groupRoute;
    }

    /**
     * Looks up the principals' ids and chooses the route.
     *
     * @param grants each principal with its modes (READ and/or WRITE)
     */
    public static Sharing of(Map<UserPrincipal, Set<AccessMode>> grants) throws IOException {
        List<PrincipalIds> ids = new ArrayList<>();
        List<Integer> perms = new ArrayList<>();
        for (Map.Entry<UserPrincipal, Set<AccessMode>> g : grants.entrySet()) {
            ids.add(PrincipalIds.of(g.getKey()));
            int p = 0;
            for (AccessMode mode : g.getValue()) {
                p |= mode == AccessMode.READ ? PosixAcl.READ : mode == AccessMode.WRITE ? PosixAcl.WRITE : 0;
            }
            perms.add(p);
        }
        GroupPrincipal group = null;
        if (ids.size() == 1 && ids.get(0).group() && mayChangeGroupTo(ids.get(0).id())) {
            group = (GroupPrincipal) grants.keySet().iterator().next();
        }
        return new Sharing(List.copyOf(ids), List.copyOf(perms), group);
    }

    /**
     * The base to use when none was given: {@code $TMPDIR} (as without sharing), else
     * {@code java.io.tmpdir}, else {@code /tmp}, else {@code /dev/shm}, the first that is safe and
     * that every principal can search down to. Never {@code $XDG_RUNTIME_DIR}: it is 0700 by
     * design.
     *
     * @throws IOException why the first candidate was refused, when none fits
     */
    public Path defaultBase(FifoBackend backend) throws IOException {
        Set<Path> candidates = new LinkedHashSet<>();
        Path tmpdir = BaseDirectory.tmpdirVariable();
        if (tmpdir != null) {
            candidates.add(tmpdir.toAbsolutePath());
        }
        candidates.add(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
        candidates.add(Path.of("/tmp"));
        candidates.add(Path.of("/dev/shm"));
        IOException first = null;
        for (Path candidate : candidates) {
            try {
                BaseDirectory.checkCached(backend, candidate); // so create()'s own check of it is a cache hit
                checkReachable(candidate);
                return candidate;
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        throw first;
    }

    /**
     * Checks that every principal can search each directory from {@code /} down to {@code base}
     * (along the path as given, and along its real path when links are on it), judging by owner,
     * group and mode bits: ACLs on those directories are not consulted.
     *
     * @throws AccessDeniedException naming the principal and the directory that stops it
     */
    public void checkReachable(Path base) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path p = base.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            dirs.add(p);
        }
        for (Path p = base.toRealPath(); p != null; p = p.getParent()) {
            dirs.add(p);
        }
        for (Path dir : dirs) {
            Map<String, Object> a = Files.readAttributes(dir, "unix:uid,gid,mode");
            int uid = (Integer) a.get("uid");
            int gid = (Integer) a.get("gid");
            int mode = (Integer) a.get("mode") & 07777;
            for (PrincipalIds p : principals) {
                if (!p.canSearch(uid, gid, mode)) {
                    throw new AccessDeniedException(dir.toString(), null, String.format(
                            "%s can't search this directory (mode %04o, owner uid %d, group gid %d), so it can't reach "
                            + "a FIFO shared with it in %s; choose a base directory it can reach", p, mode, uid, gid, base));
                }
            }
        }
    }

    /** Shares {@code fifo} (just created, mode 0600) and then its private directory (0700). */
    public void apply(FifoBackend backend, Path fifo) throws IOException {
        Path dir = fifo.getParent();
        if (groupRoute != null) {
            int p = perms.get(0);
            share(fifo, groupRoute, "rw-" + ((p & PosixAcl.READ) != 0 ? "r" : "-") + ((p & PosixAcl.WRITE) != 0 ? "w" : "-") + "----");
            share(dir, groupRoute, "rwx--x---");
            return;
        }
        List<int[]> users = new ArrayList<>();
        List<int[]> groups = new ArrayList<>();
        List<int[]> usersSearch = new ArrayList<>();
        List<int[]> groupsSearch = new ArrayList<>();
        for (int i = 0; i < principals.size(); i++) {
            PrincipalIds p = principals.get(i);
            (p.group() ? groups : users).add(new int[] {p.id(), perms.get(i)});
            (p.group() ? groupsSearch : usersSearch).add(new int[] {p.id(), PosixAcl.SEARCH});
        }
        backend.setAccessAcl(fifo, PosixAcl.of(PosixAcl.READ | PosixAcl.WRITE, users, groups));
        backend.setAccessAcl(dir, PosixAcl.of(PosixAcl.READ | PosixAcl.WRITE | PosixAcl.SEARCH, usersSearch, groupsSearch));
    }

    private static void share(Path path, GroupPrincipal group, String mode) throws IOException {
        // lchown: never follows a link; then chmod by path, which stays inside what we made
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    /** The exception for a file system (or kernel) without POSIX ACLs. */
    public static FileSystemException noAcls(Path path) {
        return new FileSystemException(path.toString(), null,
                "can't share it: no POSIX ACLs on this file system; share with a group you belong to (the group route "
                + "needs no ACLs), or choose a base directory on a file system with ACLs");
    }

    // ------------------------------------------------------------------- recognising our own

    /** Whether a private directory's permissions are ours: 0700, or 0710 once shared. */
    public static boolean isPrivateDirectoryMode(Set<PosixFilePermission> permissions) {
        return permissions.equals(SHARED_DIRECTORY) || permissions.equals(PosixFilePermissions.fromString("rwx------"));
    }

    /** @return {@code permissions} as mode bits (0777) */
    public static int bits(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            bits |= 0400 >> p.ordinal(); // OWNER_READ, OWNER_WRITE, …, OTHERS_EXECUTE: one bit each, in order
        }
        return bits;
    }

    /** As {@link #isPrivateDirectoryMode(Set)}, for mode bits. */
    public static boolean isPrivateDirectoryMode(int permissions) {
        return permissions == 0700 || permissions == 0710;
    }

    /**
     * Why a FIFO of this user in one of our private directories is not one tempfifo made (and
     * so must not be removed or trusted), or null if it is. In an unshared (0700) directory any
     * FIFO of ours is (no one else can reach it; a process that died while sharing leaves one
     * there). In a shared (0710) directory the FIFO must be as tempfifo shares it: nothing for
     * others, and group bits only if either both have an ACL, or neither has and the FIFO has
     * the directory's group.
     */
    public static String refuseFifo(FifoBackend backend, Path dir, int dirPermissions, Path fifo, int fifoPermissions,
                                    boolean sameGroup) throws IOException {
        if (dirPermissions != 0710) {
            return null;
        }
        if ((fifoPermissions & ~0060) != 0600) {
            return String.format("mode %04o is not one tempfifo gives a shared FIFO", fifoPermissions);
        }
        if ((fifoPermissions & 0060) == 0) {
            return null;
        }
        boolean fifoAcl = backend.hasAccessAcl(fifo);
        boolean dirAcl = backend.hasAccessAcl(dir);
        if (fifoAcl && dirAcl) {
            return null;
        }
        if (!fifoAcl && !dirAcl) {
            return sameGroup ? null : "shared by group, but not with its directory's group";
        }
        return fifoAcl ? "has an ACL in a directory shared by group" : "has no ACL in a directory shared by ACL";
    }

    private static boolean mayChangeGroupTo(int gid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:") && line.split("\\s+")[2].equals("0")) {
                    return true; // effective uid 0
                }
                if (line.startsWith("Gid:") && line.split("\\s+")[2].equals(Integer.toString(gid))) {
                    return true;
                }
                if (line.startsWith("Groups:")) {
                    for (String g : line.substring(7).trim().split("\\s+")) {
                        if (g.equals(Integer.toString(gid))) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: use the ACL route
        }
        return false;
    }
}
