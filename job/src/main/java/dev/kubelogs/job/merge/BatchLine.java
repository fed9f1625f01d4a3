package dev.kubelogs.job.merge;

import dev.kubelogs.job.parse.InTailLines;
import dev.kubelogs.job.parse.Utf8Text;
import dev.kubelogs.job.source.SpoolRecord;
import java.util.Arrays;

/** One line of a LINES batch: where its bytes lie in the batch and where it was in its file. */
public final class BatchLine {
    public final SpoolRecord batch;
    public final String fileId;
    public final int from;
    public final int length;
    public final long offset;
    public final int flags;
    public final long readTime;

    public BatchLine(SpoolRecord batch, int index, String fileId) {
        this.batch = batch;
        this.fileId = fileId;
        this.from = batch.lineStart(index);
        this.length = batch.lineLength(index);
        this.offset = batch.lineOffset(index);
        this.flags = batch.lineFlags(index);
        this.readTime = batch.lineReadTime(index);
    }

    public byte[] bytes() {
        return Arrays.copyOfRange(batch.data, from, from + length);
    }

    /**
     * The line as in_tail reads it: without the CR of a CR LF ending when the line has more than the CR
     * (tail_file.c process_content), ill-formed UTF-8 as Fluent Bit writes it ({@link Utf8Text}).
     */
    public String text() {
        return Utf8Text.decode(batch.data, from, InTailLines.withoutCarriageReturn(batch.data, from, length));
    }
}
