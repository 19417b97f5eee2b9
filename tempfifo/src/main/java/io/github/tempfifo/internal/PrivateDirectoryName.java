package io.github.tempfifo.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of tempfifo's private directories: {@code PREFIX + RANDOM + "." + OWNER}, where RANDOM is
 * 16 base-32 characters (80 bits from a {@link SecureRandom}) and OWNER is {@code PID_STARTTIME},
 * or {@code unowned} for a directory meant to outlive its creator.
 *
 * <p>The owner in the name costs no system call, and lets {@code sweep} tell whose a directory is.
 */
public final class PrivateDirectoryName {
    /** Bytes the suffix after the prefix can take at most. */
    public static final int MAX_SUFFIX_BYTES = 16 + 1 + 20 + 1 + 20;
    private static final String UNOWNED = "unowned";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final Pattern SUFFIX = Pattern.compile("[a-z2-7]{16}\\.(?:(\\d{1,19})_(\\d{1,19})|" + UNOWNED + ")$");
    private static final SecureRandom RANDOM = newRandom();

    private PrivateDirectoryName() {
    }

    /** A fresh, unpredictable name. {@code owner} may be {@code null} (unowned). */
    public static String newName(String prefix, Owner owner) {
        byte[] bytes = new byte[10];
        nextRandomBytes(bytes);
        StringBuilder sb = new StringBuilder(prefix.length() + MAX_SUFFIX_BYTES).append(prefix);
        long bits = 0;
        int available = 0;
        for (byte b : bytes) {
            bits = (bits << 8) | (b & 0xff);
            available += 8;
            while (available >= 5) {
                available -= 5;
                sb.append(BASE32[(int) (bits >>> available) & 31]);
            }
        }
        sb.append('.');
        if (owner == null) {
            sb.append(UNOWNED);
        } else {
            sb.append(owner.pid()).append('_').append(owner.startTime());
        }
        return sb.toString();
    }

    private static final byte[] POOL = new byte[640];
    private static int poolNext = POOL.length; // guarded by POOL

    /**
     * Fills {@code bytes} from the DRBG, which is asked for 640 bytes at a time: one DRBG call
     * costs about as much for 640 bytes as for 10, and names are made in bursts. Bytes are
     * handed out once and wiped from the pool as they are.
     */
    private static void nextRandomBytes(byte[] bytes) {
        synchronized (POOL) {
            if (poolNext + bytes.length > POOL.length) {
                RANDOM.nextBytes(POOL);
                poolNext = 0;
            }
            System.arraycopy(POOL, poolNext, bytes, 0, bytes.length);
            java.util.Arrays.fill(POOL, poolNext, poolNext + bytes.length, (byte) 0);
            poolNext += bytes.length;
        }
    }

    /** What a directory name says, if it has the shape of one of ours. */
    public static Optional<Parsed> parse(String name) {
        Matcher m = SUFFIX.matcher(name);
        if (!m.find()) {
            return Optional.empty();
        }
        if (m.group(1) == null) {
            return Optional.of(new Parsed(null));
        }
        try {
            return Optional.of(new Parsed(new Owner(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @param owner the recorded owner, or {@code null} if the directory is unowned */
    public record Parsed(Owner owner) {
    }

    private static SecureRandom newRandom() {
        try {
            // DRBG: seeded once from the OS, then no system call (and no global lock) per name.
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
