package dev.kubelogs.job.metrics.parse;

import java.nio.charset.StandardCharsets;

/** A position in a scrape body (bytes {@code [0, end)}) that keeps the line number for error messages. */
final class ByteCursor {
    private static final boolean[] METRIC_NAME_START = new boolean[256];
    private static final boolean[] METRIC_NAME_PART = new boolean[256];
    private static final boolean[] LABEL_NAME_START = new boolean[256];
    private static final boolean[] LABEL_NAME_PART = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean digit = c >= '0' && c <= '9';
            LABEL_NAME_START[c] = letter;
            LABEL_NAME_PART[c] = letter || digit;
            METRIC_NAME_START[c] = letter || c == ':';
            METRIC_NAME_PART[c] = letter || digit || c == ':';
        }
    }

    final byte[] bytes;
    final int end;
    int pos;
    private int line = 1;
    private int lineStart;

    ByteCursor(byte[] bytes, int end) {
        this.bytes = bytes;
        this.end = end;
    }

    boolean atEnd() {
        return pos >= end;
    }

    /** The byte at the position, or -1 at the end. */
    int peek() {
        return pos < end ? bytes[pos] & 0xff : -1;
    }

    boolean at(char c) {
        return pos < end && bytes[pos] == c;
    }

    boolean atLineEnd() {
        return pos >= end || bytes[pos] == '\n';
    }

    boolean atBlank() {
        return pos < end && (bytes[pos] == ' ' || bytes[pos] == '\t');
    }

    void skipBlanks() {
        while (pos < end && (bytes[pos] == ' ' || bytes[pos] == '\t')) {
            pos++;
        }
    }

    /** Whether the bytes at the position are {@code ascii}; does not move. */
    boolean lookingAt(String ascii) {
        int n = ascii.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (bytes[pos + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The end of the metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}) starting at the position; the position if none. */
    int metricNameEnd() {
        return nameEnd(METRIC_NAME_START, METRIC_NAME_PART);
    }

    /** The end of the label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}) starting at the position; the position if none. */
    int labelNameEnd() {
        return nameEnd(LABEL_NAME_START, LABEL_NAME_PART);
    }

    private int nameEnd(boolean[] start, boolean[] part) {
        int i = pos;
        if (i >= end || !start[bytes[i] & 0xff]) {
            return pos;
        }
        i++;
        while (i < end && part[bytes[i] & 0xff]) {
            i++;
        }
        return i;
    }

    /** The index of the next {@code '\n'} at or after the position, or {@code end}. */
    int lineEnd() {
        for (int i = pos; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    /** Moves past the {@code '\n'} at the position (or stays at the end) and starts the next line. */
    void nextLine() {
        if (pos < end) {
            pos++;
        }
        line++;
        lineStart = pos;
    }

    /** Counts a line break inside a token (a raw newline in a text-format label value). */
    void countLineBreak() {
        line++;
    }

    ExpositionParseException error(String reason) {
        return new ExpositionParseException(line, reason, excerpt(lineStart));
    }

    private String excerpt(int from) {
        int to = from;
        while (to < end && bytes[to] != '\n' && to - from < ExpositionParseException.MAX_EXCERPT) {
            to++;
        }
        boolean cut = to < end && bytes[to] != '\n';
        String raw = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(raw.length() + 8);
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                sb.append(String.format("\\x%02x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return cut ? sb.append("...").toString() : sb.toString();
    }
}
