package dev.kubelogs.job.parse;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * String escapes as Fluent Bit 4.x writes a record to JSON with its default {@code json.escape_unicode on}
 * (flb_utils.c flb_utils_write_str_escaped): the short escapes for quote, backslash, \b \f \n \r \t, DEL and the
 * other control characters as {@code \\u00xx}, and every non-ASCII character as a lower-case {@code \\u} escape of
 * its UTF-16 unit (a character outside the BMP as its surrogate pair). '/' stays as it is. Jackson's own escapes
 * differ in DEL (written raw) and the case of hex digits, and it writes non-ASCII as UTF-8. A byte that was not
 * well-formed UTF-8, U+E080-U+E0FF after {@link Utf8Text#decode}, is written raw as Fluent Bit writes it (a real
 * character of that private-use range would be escaped by Fluent Bit; it is written raw here).
 */
final class FluentBitEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int[] ASCII_ESCAPES = asciiEscapes();

    /** The escape of each UTF-16 unit once made: a text in a non-Latin script escapes most of its characters. */
    private static final SerializableString[] ESCAPES = new SerializableString[0x10000];

    @Override
    public int[] getEscapeCodesForAscii() {
        return ASCII_ESCAPES;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        // a byte that was not well-formed UTF-8 goes out as its raw private-use character (see Utf8Text)
        if (Utf8Text.isInvalidByteChar(ch)) {
            return null;
        }
        SerializableString escape = ESCAPES[ch];
        if (escape == null) {
            // filled as characters come (a benign race: any thread writes the same value)
            escape = new SerializedString(unicodeEscape(ch));
            ESCAPES[ch] = escape;
        }
        return escape;
    }

    static String unicodeEscape(int unit) {
        return new String(new char[] {
            '\\', 'u', HEX[(unit >> 12) & 0xF], HEX[(unit >> 8) & 0xF], HEX[(unit >> 4) & 0xF], HEX[unit & 0xF]
        });
    }

    private static int[] asciiEscapes() {
        int[] escapes = standardAsciiEscapesForJSON();
        // 0x00-0x1F without a short escape, and DEL
        for (int c = 0; c < 0x20; c++) {
            if (escapes[c] == 0) {
                escapes[c] = ESCAPE_CUSTOM;
            }
        }
        escapes[0x7F] = ESCAPE_CUSTOM;
        return escapes;
    }
}
