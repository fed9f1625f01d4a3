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

    public HeldSegment() {}
}
