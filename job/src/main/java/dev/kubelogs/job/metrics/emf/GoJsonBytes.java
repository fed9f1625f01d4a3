package dev.kubelogs.job.metrics.emf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable UTF-8 buffer of JSON text, strings escaped as Go's {@code json.Marshal} does on top of JSON's own:
 * {@code <}, {@code >} and {@code &} as <code>&#92;u003c</code>, <code>&#92;u003e</code>, <code>&#92;u0026</code> (its
 * HTML-safe default), U+2028 and U+2029 as <code>&#92;u2028</code>, <code>&#92;u2029</code>; short escapes for
 * quote, backslash, backspace, tab, newline, form feed and carriage return; <code>&#92;u00xx</code> (lowercase) for
 * the other control characters; nothing else escaped. A surrogate pair is one 4-byte character; an unpaired
 * surrogate, which UTF-8 cannot hold, is written as its <code>&#92;udxxx</code> escape so the text stays valid.
 */
final class GoJsonBytes {
    /** Per ASCII character: 0 = as is, 'u' = <code>&#92;u00xx</code>, else the letter of its short escape. */
    private static final byte[] ASCII_ESCAPES = new byte[128];

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The most bytes one UTF-16 char becomes: a six-byte escape. */
    private static final int MAX_BYTES_PER_CHAR = 6;

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_ESCAPES[c] = 'u';
        }
        ASCII_ESCAPES['<'] = 'u';
        ASCII_ESCAPES['>'] = 'u';
        ASCII_ESCAPES['&'] = 'u';
        ASCII_ESCAPES['"'] = '"';
        ASCII_ESCAPES['\\'] = '\\';
        ASCII_ESCAPES['\b'] = 'b';
        ASCII_ESCAPES['\t'] = 't';
        ASCII_ESCAPES['\n'] = 'n';
        ASCII_ESCAPES['\f'] = 'f';
        ASCII_ESCAPES['\r'] = 'r';
    }

    private byte[] bytes;
    private int size;

    GoJsonBytes(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    String text() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }

    /** A copy of the bytes written, well-formed UTF-8 (an unpaired surrogate was written as its escape). */
    byte[] utf8() {
        return Arrays.copyOf(bytes, size);
    }

    void writeByte(char asciiChar) {
        ensure(1);
        bytes[size++] = (byte) asciiChar;
    }

    /** The bytes written since {@code start}, a copy. */
    byte[] copyOfRange(int start) {
        return Arrays.copyOfRange(bytes, start, size);
    }

    /** Bytes that are already JSON text (ASCII, or UTF-8 written here before), copied as they are. */
    void writeAscii(byte[] ascii) {
        ensure(ascii.length);
        System.arraycopy(ascii, 0, bytes, size, ascii.length);
        size += ascii.length;
    }

    /** Characters that need no escape, e.g. a number's text. */
    void writeAscii(String ascii) {
        int n = ascii.length();
        ensure(n);
        byte[] b = bytes;
        int p = size;
        for (int i = 0; i < n; i++) {
            b[p++] = (byte) ascii.charAt(i);
        }
        size = p;
    }

    void writeLong(long v) {
        if (v == Long.MIN_VALUE) {
            writeAscii(Long.toString(v));
            return;
        }
        ensure(20);
        byte[] b = bytes;
        int p = size;
        long rest = v;
        if (rest < 0) {
            b[p++] = '-';
            rest = -rest;
        }
        int digits = 1;
        for (long t = rest / 10; t != 0; t /= 10) {
            digits++;
        }
        int end = p + digits;
        for (int i = end - 1; i >= p; i--) {
            b[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        size = end;
    }

    /** The string in quotes, escaped. */
    void writeString(String s) {
        int n = s.length();
        ensure(n * MAX_BYTES_PER_CHAR + 2);
        byte[] b = bytes;
        int p = size;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte escape = ASCII_ESCAPES[c];
                if (escape == 0) {
                    b[p++] = (byte) c;
                } else if (escape == 'u') {
                    p = unicodeEscape(b, p, c);
                } else {
                    b[p++] = '\\';
                    b[p++] = escape;
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xc0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xf0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                p = unicodeEscape(b, p, c);
            } else {
                b[p++] = (byte) (0xe0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        b[p++] = '"';
        size = p;
    }

    private static int unicodeEscape(byte[] b, int at, char c) {
        int p = at;
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = HEX[c >> 12];
        b[p++] = HEX[(c >> 8) & 0xf];
        b[p++] = HEX[(c >> 4) & 0xf];
        b[p++] = HEX[c & 0xf];
        return p;
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
