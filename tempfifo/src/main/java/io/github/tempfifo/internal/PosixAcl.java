package io.github.tempfifo.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A minimal POSIX access ACL: the owner, the owning group and others, plus named users and groups,
 * with the mask computed from the named entries. Two encodings: the Linux extended attribute
 * {@code system.posix_acl_access} (what the FFM backend hands to {@code lsetxattr(2)}) and the
 * text that {@code setfacl --set} takes (the portable backend).
 *
 * <p>The xattr value (Linux {@code include/uapi/linux/posix_acl_xattr.h}) is a little-endian
 * header {@code u32 version = 2} followed by entries {@code {u16 tag, u16 perm, u32 id}} sorted by
 * tag, then id; the kernel refuses any other order, a missing mask when named entries are present,
 * and duplicate ids.
 */
public final class PosixAcl {
    static final int READ = 4;
    static final int WRITE = 2;
    static final int SEARCH = 1;

    private static final int VERSION = 2;
    private static final short USER_OBJ = 0x01;
    private static final short USER = 0x02;
    private static final short GROUP_OBJ = 0x04;
    private static final short GROUP = 0x08;
    private static final short MASK = 0x10;
    private static final short OTHER = 0x20;
    private static final int UNDEFINED_ID = -1;

    private record Entry(short tag, int perm, int id) {
    }

    private final List<Entry> entries;

    private PosixAcl(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * An ACL giving the owner {@code ownerPerms}, the owning group and others nothing, and each
     * named user and group its permissions ({@code rwx} bits, 4/2/1).
     */
    public static PosixAcl of(int ownerPerms, List<int[]> namedUsers, List<int[]> namedGroups) {
        List<Entry> list = new ArrayList<>();
        int mask = 0;
        list.add(new Entry(USER_OBJ, ownerPerms, UNDEFINED_ID));
        for (int[] u : namedUsers) {
            list.add(new Entry(USER, u[1], u[0]));
            mask |= u[1];
        }
        list.add(new Entry(GROUP_OBJ, 0, UNDEFINED_ID));
        for (int[] g : namedGroups) {
            list.add(new Entry(GROUP, g[1], g[0]));
            mask |= g[1];
        }
        list.add(new Entry(MASK, mask, UNDEFINED_ID));
        list.add(new Entry(OTHER, 0, UNDEFINED_ID));
        // the kernel's order: by tag, then by id compared unsigned
        list.sort(Comparator.comparingInt((Entry e) -> e.tag).thenComparing(e -> e.id, Integer::compareUnsigned));
        return new PosixAcl(List.copyOf(list));
    }

    /** @return the value of {@code system.posix_acl_access} for this ACL */
    public byte[] toXattr() {
        ByteBuffer buf = ByteBuffer.allocate(4 + 8 * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(VERSION);
        for (Entry e : entries) {
            buf.putShort(e.tag).putShort((short) e.perm).putInt(e.id);
        }
        return buf.array();
    }

    /** @return the ACL in the form {@code setfacl --set} takes, with numeric ids */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            String qualifier = e.id == UNDEFINED_ID ? "" : Integer.toUnsignedString(e.id);
            sb.append(switch (e.tag) {
                case USER_OBJ, USER -> "u:";
                case GROUP_OBJ, GROUP -> "g:";
                case MASK -> "m:";
                default -> "o:";
            }).append(qualifier).append(':').append(perms(e.perm));
        }
        return sb.toString();
    }

    private static String perms(int p) {
        return ((p & READ) != 0 ? "r" : "-") + ((p & WRITE) != 0 ? "w" : "-") + ((p & SEARCH) != 0 ? "x" : "-");
    }

    @Override
    public String toString() {
        return toText();
    }
}
