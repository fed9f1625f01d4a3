package dev.kubelogs.job.metrics.emf;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The string escapes of Go's {@code json.Marshal} on top of JSON's own: {@code <}, {@code >} and {@code &} as
 * <code>&#92;u003c</code>, <code>&#92;u003e</code>, <code>&#92;u0026</code> (its HTML-safe default), and U+2028,
 * U+2029 as <code>&#92;u2028</code>, <code>&#92;u2029</code>. The rest (short escapes for backspace, tab, newline,
 * form feed, carriage return; lowercase <code>&#92;u00XX</code> for other control characters; nothing else escaped)
 * is Jackson's standard set written with lowercase hex digits, which the generator is told to use.
 */
final class GoStringEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final int[] ASCII = standardAsciiEscapesForJSON();

    static {
        ASCII['<'] = ESCAPE_CUSTOM;
        ASCII['>'] = ESCAPE_CUSTOM;
        ASCII['&'] = ESCAPE_CUSTOM;
    }

    private static final SerializedString LT = new SerializedString("\\u003c");
    private static final SerializedString GT = new SerializedString("\\u003e");
    private static final SerializedString AMP = new SerializedString("\\u0026");
    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

    @Override
    public int[] getEscapeCodesForAscii() {
        return ASCII;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        switch (ch) {
            case '<':
                return LT;
            case '>':
                return GT;
            case '&':
                return AMP;
            case 0x2028:
                return LINE_SEPARATOR;
            case 0x2029:
                return PARAGRAPH_SEPARATOR;
            default:
                return null;
        }
    }
}
