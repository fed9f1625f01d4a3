package dev.kubelogs.job.parse;

/** A physical line as Fluent Bit's in_tail hands it to its parsers (tail_file.c process_content). */
public final class InTailLines {
    private InTailLines() {}

    /**
     * The length of the line at {@code bytes[from, from + length)} without the CR of a CR LF ending; a line that is
     * only the CR keeps it, as in_tail keeps it.
     */
    public static int withoutCarriageReturn(byte[] bytes, int from, int length) {
        return length >= 2 && bytes[from + length - 1] == '\r' ? length - 1 : length;
    }
}
