package dev.kubelogs.job.merge;

/**
 * Records of a segment that arrived before an earlier segment of the same node (possible when segments
 * of one node are read by different readers, e.g. after rescaling): indices [first, last] are held in
 * keyed state until the earlier segments are through. A Flink POJO.
 */
public class HeldSegment {
    public int first = -1;
    public int last = -1;
    public boolean ended;
    public long heldSince;
    /** The segment the source handed out before this one (SpoolRecord.UNKNOWN when not named). */
    public long previousSeq = Long.MIN_VALUE;
    /**
     * The indices held, in arrival order. A LINES batch takes the index of its first line, so the indices of a
     * segment are sparse and [first, last] would mean one state lookup per line. Null in segments held by 0.1.0,
     * whose records were one per index.
     */
    public int[] indices;

    public HeldSegment() {}
}
