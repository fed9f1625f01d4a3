package dev.kubelogs.job.merge;

/** Bytes of a physical line the collector split because it exceeded its maximum (LineFlags.PARTIAL). A Flink POJO. */
public class RawPiece {
    public String path;
    public byte[] bytes;
    public long offset;
    public long readTime;

    public RawPiece() {}
}
