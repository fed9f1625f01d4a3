package dev.kubelogs.job.parse;

import java.nio.charset.StandardCharsets;

/**
 * Decodes log bytes the way Fluent Bit writes them out: well-formed UTF-8 as it is, and every byte that does not
 * start a well-formed sequence as one U+FFFD (Java's decoder would give one U+FFFD per maximal ill-formed
 * subsequence instead, e.g. one for a three-byte sequence cut after two bytes, where Fluent Bit writes two).
 */
public final class Utf8Text {
    private Utf8Text() {}

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
                out.append('\uFFFD');
                i++;
            } else {
                out.append(new String(b, i, n, StandardCharsets.UTF_8));
                i += n;
            }
        }
        return out.toString();
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
