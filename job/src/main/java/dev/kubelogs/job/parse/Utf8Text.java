package dev.kubelogs.job.parse;

import java.nio.charset.StandardCharsets;

/**
 * Decodes log bytes the way Fluent Bit 4.x writes them out (flb_utils.c flb_utils_write_str_escaped, on x86-64):
 * well-formed UTF-8 as it is, and every byte that is not part of a well-formed sequence as the private-use character
 * U+E000 + the byte (Fluent Bit's "invalid fragment" block 0xE0), which it writes unescaped. Java's decoder would give
 * one U+FFFD per maximal ill-formed subsequence instead. The bytes stay recoverable, so pieces of a line that the
 * runtime cut inside a character are whole again once joined ({@link #joinPieces}).
 */
public final class Utf8Text {
    private Utf8Text() {}

    /** The first and last characters that stand for an ill-formed byte (only bytes 0x80-0xFF can be one). */
    private static final char FIRST_INVALID_BYTE_CHAR = '\uE080';

    private static final char LAST_INVALID_BYTE_CHAR = '\uE0FF';

    public static String decode(byte[] b) {
        return decode(b, 0, b.length);
    }

    public static String decode(byte[] b, int from, int length) {
        String fast = new String(b, from, length, StandardCharsets.UTF_8);
        // a U+FFFD may be in the input itself; decoding again byte by byte gives the same text then
        return fast.indexOf('\uFFFD') < 0 ? fast : decodeByteByByte(b, from, from + length);
    }

    private static String decodeByteByByte(byte[] b, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int n = sequenceLength(b, i, to);
            if (n == 0) {
                out.append(invalidByteChar(b[i]));
                i++;
            } else {
                out.append(new String(b, i, n, StandardCharsets.UTF_8));
                i += n;
            }
        }
        return out.toString();
    }

    static char invalidByteChar(byte b) {
        return (char) (0xE000 | (b & 0xFF));
    }

    /** Whether {@code c} stands for an ill-formed input byte ({@link #decode}). */
    public static boolean isInvalidByteChar(int c) {
        return c >= FIRST_INVALID_BYTE_CHAR && c <= LAST_INVALID_BYTE_CHAR;
    }

    /**
     * Two pieces of one line joined as their bytes would be: a character the runtime cut between them (containerd
     * splits long lines at a byte count) decodes whole again, as Fluent Bit's joined buffer of raw bytes does.
     */
    public static String joinPieces(String first, String next) {
        int tail = 0;
        while (tail < 3 && tail < first.length() && isInvalidByteChar(first.charAt(first.length() - 1 - tail))) {
            tail++;
        }
        int head = 0;
        while (head < 3 && head < next.length() && isContinuationByteChar(next.charAt(head))) {
            head++;
        }
        if (tail == 0 || head == 0) {
            return first + next;
        }
        byte[] cut = new byte[tail + head];
        for (int k = 0; k < tail; k++) {
            cut[k] = (byte) first.charAt(first.length() - tail + k);
        }
        for (int k = 0; k < head; k++) {
            cut[tail + k] = (byte) next.charAt(k);
        }
        return first.substring(0, first.length() - tail) + decodeByteByByte(cut, 0, cut.length) + next.substring(head);
    }

    private static boolean isContinuationByteChar(char c) {
        return c >= FIRST_INVALID_BYTE_CHAR && c <= '\uE0BF';
    }

    /**
     * A string as Fluent Bit writes it at its end: a lead byte whose sequence would run past the end of the string
     * is dropped, not written (flb_utils_write_str_escaped "skip truncated UTF-8"; the bytes after it are written as
     * ill-formed bytes each). Applies once, to a value as it goes out.
     */
    public static String dropCutSequenceAtEnd(String s) {
        int bytesAfter = 0;
        StringBuilder kept = null;
        for (int k = s.length() - 1; k >= 0 && bytesAfter < 5; k--) {
            char c = s.charAt(k);
            if (isInvalidByteChar(c) && declaredLength(c & 0xFF) > bytesAfter + 1) {
                if (kept == null) {
                    kept = new StringBuilder(s);
                }
                kept.deleteCharAt(k);
            }
            bytesAfter += utf8Length(s, k);
        }
        return kept == null ? s : kept.toString();
    }

    /** The sequence length a lead byte announces (Fluent Bit's trailingBytesForUTF8 + 1); 1 for other bytes. */
    private static int declaredLength(int lead) {
        return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : lead < 0xFC ? 5 : 6;
    }

    /** The original bytes the char at {@code k} stands for (a low surrogate counts its whole pair). */
    private static int utf8Length(String s, int k) {
        char c = s.charAt(k);
        if (c < 0x80 || isInvalidByteChar(c)) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        if (Character.isLowSurrogate(c) && k > 0 && Character.isHighSurrogate(s.charAt(k - 1))) {
            return 4;
        }
        return Character.isHighSurrogate(c) ? 0 : 3;
    }

    /** Length of the well-formed UTF-8 sequence at {@code i} (Unicode table 3-7), or 0 when there is none. */
    static int sequenceLength(byte[] b, int i, int to) {
        int c = b[i] & 0xFF;
        if (c < 0x80) {
            return 1;
        }
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (i + n > to) {
            return 0;
        }
        int second = b[i + 1] & 0xFF;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return n;
    }

    /**
     * {@code end}, or the start of the well-formed UTF-8 sequence that {@code end} would cut in two (never before
     * {@code from}): where a byte range can end without splitting a character.
     */
    public static int boundaryAtOrBefore(byte[] b, int from, int end) {
        int lead = end - 1;
        while (lead >= from && lead > end - 4 && (b[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < from || (b[lead] & 0xC0) == 0x80) {
            return end;
        }
        int n = sequenceLength(b, lead, b.length);
        return n > 0 && lead + n > end || endsInsideSequence(b, lead) ? lead : end;
    }

    /** A lead byte whose sequence the array ends inside of: the rest may still come. */
    private static boolean endsInsideSequence(byte[] b, int lead) {
        int c = b[lead] & 0xFF;
        int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (n == 0 || lead + n <= b.length) {
            return false;
        }
        for (int k = lead + 1; k < b.length; k++) {
            if ((b[k] & 0xC0) != 0x80) {
                return false;
            }
        }
        return true;
    }
}
