package dev.kubelogs.job.sink.cloudwatch.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** UTF-8 length counting, encoding and sanitising. */
public final class Utf8 {
    private Utf8() {}

    /** {@code s} as UTF-8, with every unpaired surrogate encoded as U+FFFD. */
    public static byte[] encode(String s) {
        byte[] b = encodeIfWellFormed(s);
        return b != null ? b : sanitize(s).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code s} as UTF-8, or null if {@code s} has an unpaired surrogate (the JDK encoder would turn it into '?';
     * {@link #sanitize} it first). For ASCII text this is the JDK's copy plus a scan of the bytes for '?'.
     */
    public static byte[] encodeIfWellFormed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length == s.length()) {
            // one byte per char: each char is ASCII, or an unpaired surrogate that became '?' at the same index
            for (int i = indexOfQuestionMark(b, 0); i >= 0; i = indexOfQuestionMark(b, i + 1)) {
                if (s.charAt(i) != '?') {
                    return null;
                }
            }
            return b;
        }
        return lengthIfWellFormed(s) < 0 ? null : b;
    }

    /**
     * Whether {@code b[from, to)} is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF, no
     * truncated sequence at {@code to}): the JDK's decoder, reporting instead of replacing.
     */
    public static boolean isWellFormed(byte[] b, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Index of the first '?' in {@code b} at or after {@code from}, or -1; eight bytes a step. */
    static int indexOfQuestionMark(byte[] b, int from) {
        int i = from;
        for (; i + 8 <= b.length; i += 8) {
            long found = Words.zeroBytes(Words.at(b, i) ^ Words.repeated('?'));
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < b.length; i++) {
            if (b[i] == '?') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Number of bytes {@code s} takes in UTF-8. An unpaired surrogate counts 3 bytes (it is encoded as
     * U+FFFD after {@link #sanitize(String)}, which the writer applies before anything is counted).
     */
    public static int length(String s) {
        return utf8Length(s, false);
    }

    /**
     * Number of bytes {@code s} takes in UTF-8, or -1 if it has an unpaired surrogate (then {@link #sanitize}
     * it first). One pass: the writer's per-event check and size in one go.
     */
    public static int lengthIfWellFormed(String s) {
        return utf8Length(s, true);
    }

    /** The UTF-8 length; an unpaired surrogate counts 3 bytes (U+FFFD), or makes it -1 when {@code strict}. */
    private static int utf8Length(String s, boolean strict) {
        int n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (strict && Character.isSurrogate(c)) {
                return -1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD (so the text survives UTF-8 round trips). */
    public static String sanitize(String s) {
        int len = s.length();
        StringBuilder out = null;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c)) {
                bad = !(i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1)));
                if (!bad) {
                    if (out != null) {
                        out.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                bad = Character.isLowSurrogate(c);
            }
            if (bad && out == null) {
                out = new StringBuilder(len);
                out.append(s, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * The longest prefix of {@code s} whose UTF-8 length is at most {@code maxBytes}, never splitting a
     * surrogate pair.
     */
    public static String prefixWithin(String s, long maxBytes) {
        long n = 0;
        int len = s.length();
        int i = 0;
        while (i < len) {
            char c = s.charAt(i);
            int bytes;
            int chars = 1;
            if (c < 0x80) {
                bytes = 1;
            } else if (c < 0x800) {
                bytes = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes = 4;
                chars = 2;
            } else {
                bytes = 3;
            }
            if (n + bytes > maxBytes) {
                break;
            }
            n += bytes;
            i += chars;
        }
        return s.substring(0, i);
    }
}
