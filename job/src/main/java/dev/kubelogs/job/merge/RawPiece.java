package dev.kubelogs.job.merge;

/**
 * Bytes of a physical line the collector split because it exceeded its maximum (LineFlags.PARTIAL), not yet
 * sent on. A Flink POJO: fields may be added (state written before they existed restores them as null / 0).
 */
public class RawPiece {
    public String path;
    /** The line's bytes not yet sent on; {@link #offset} is the file offset of the first. */
    public byte[] bytes;

    public long offset;
    public long readTime;
    /**
     * Once the line outgrew the record limit and its first record left: that record's fields without {@code log}
     * (JSON), repeated on every later record of the line. Null while the line's head is still here.
     */
    public String record;
    /** The line's own time (or its read time when it had none), once {@link #record} is set. */
    public long time;

    public RawPiece() {}
}
