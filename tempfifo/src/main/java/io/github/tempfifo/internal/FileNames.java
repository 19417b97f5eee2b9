package io.github.tempfifo.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Checks of the names a user gives, done before anything is created. */
public final class FileNames {
    /** {@code NAME_MAX} on Linux and the BSDs. */
    static final int NAME_MAX = 255;

    private FileNames() {
    }

    /**
     * Checks a file name: not empty, not {@code .} or {@code ..}, no {@code /} or NUL, valid
     * Unicode, at most 255 bytes in UTF-8.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String checkName(String what, String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(what + " must not be \"" + name + "\"");
        }
        checkChars(what, name, NAME_MAX);
        return name;
    }

    /** Checks a prefix: may be empty; otherwise as {@link #checkName} with room left for the suffix. */
    public static String checkPrefix(String prefix) {
        checkChars("prefix", prefix, NAME_MAX - PrivateDirectoryName.MAX_SUFFIX_BYTES);
        return prefix;
    }

    private static void checkChars(String what, String s, int maxBytes) {
        if (s.indexOf('/') >= 0) {
            throw new IllegalArgumentException(what + " contains '/': " + quote(s));
        }
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character: " + quote(s));
        }
        int bytes;
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            bytes = encoded.remaining();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate): " + quote(s));
        }
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(what + " is " + bytes + " bytes in UTF-8; at most " + maxBytes + " allowed");
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int shown = 0;
        for (char c : s.toCharArray()) {
            if (++shown > 64) {
                sb.append("…");
                break;
            }
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append('"').toString();
    }
}
