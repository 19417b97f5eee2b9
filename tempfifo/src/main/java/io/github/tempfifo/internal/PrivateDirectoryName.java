package io.github.tempfifo.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of tempfifo's private directories: {@code PREFIX + RANDOM + "." + OWNER}, where RANDOM is
 * 16 base-32 characters (80 bits from /dev/urandom or a {@link SecureRandom}) and OWNER is {@code PID_STARTTIME},
 * or {@code unowned} for a directory meant to outlive its creator.
 *
 * <p>The owner in the name costs no system call, and lets {@code sweep} tell whose a directory is.
 */
public final class PrivateDirectoryName {
    /** Bytes the suffix after the prefix can take at most. */
    static final int MAX_SUFFIX_BYTES = 16 + 1 + 20 + 1 + 20;
    private static final String UNOWNED = "unowned";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    /** Names drawn from /dev/urandom before switching to the DRBG (whose set-up is slow for a short program: see docs/performance.md). */
    private static final int URANDOM_NAMES = 32;
    private static final AtomicInteger URANDOM_USES = new AtomicInteger();

    private PrivateDirectoryName() {
    }

    /** A fresh, unpredictable name. {@code owner} may be {@code null} (unowned). */
    public static String newName(String prefix, Owner owner) {
        byte[] bytes = new byte[10];
        randomBytes(bytes);
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

    /** What a directory name says, if it has the shape of one of ours. */
    public static Optional<Parsed> parse(String name) {
        Matcher m = Suffix.PATTERN.matcher(name);
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

    /** Compiled on first use: a program that only creates FIFOs never needs it. */
    private static final class Suffix {
        static final Pattern PATTERN = Pattern.compile("[a-z2-7]{16}\\.(?:(\\d{1,19})_(\\d{1,19})|" + UNOWNED + ")\\z"); // \z, not $: "$" also matches before a final line break
    }

    /** @param owner the recorded owner, or {@code null} if the directory is unowned */
    public record Parsed(Owner owner) {
    }

    /**
     * The first few names (all that a short-lived process such as the CLI needs) read the
     * kernel's generator directly; later ones use a DRBG seeded once from it.
     */
    private static void randomBytes(byte[] bytes) {
        if (URANDOM_USES.get() < URANDOM_NAMES && URANDOM_USES.getAndIncrement() < URANDOM_NAMES) {
            try (FileInputStream in = new FileInputStream("/dev/urandom")) {
                int n = 0;
                while (n < bytes.length) {
                    int r = in.read(bytes, n, bytes.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                if (n == bytes.length) {
                    return;
                }
            } catch (IOException e) {
                // no /dev/urandom (or not readable): the DRBG below
            }
        }
        Drbg.RANDOM.nextBytes(bytes);
    }

    private static final class Drbg {
        static final SecureRandom RANDOM = newRandom();
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
