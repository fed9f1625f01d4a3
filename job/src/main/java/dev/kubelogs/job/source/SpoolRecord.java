package dev.kubelogs.job.source;

import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.PodEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.util.Map;

/**
 * What the spool source emits: one raw line, one pod metadata record, the start of a segment (with the
 * node's attributes) or the notice that a segment was unreadable. A Flink POJO, so no Kryo.
 *
 * <p>Lines travel unparsed: Docker/CRI/syslog/journal parsing happens in the keyed stage, where it
 * scales with the job instead of costing every node.
 */
public class SpoolRecord {
    /** Segment header attribute the collector fills from /proc/sys/kernel/random/boot_id. */
    public static final String BOOT_ID = "boot_id";

    public static final byte SEGMENT = 1;
    public static final byte LINE = 2;
    public static final byte POD = 3;
    public static final byte CORRUPT = 4;
    /** The last record of every segment: lets the keyed stage know a segment is complete. */
    public static final byte SEGMENT_END = 5;

    public byte type;
    public String cluster;
    public String node;
    public long segmentSeq;
    /** Index of this record within its segment (0 = the SEGMENT record). */
    public int indexInSegment;
    /** The node's segment assigned before this one; -1 when it is the node's first, UNKNOWN when not known. */
    public long previousSeq = UNKNOWN;

    public static final long UNKNOWN = Long.MIN_VALUE;

    // LINE only: where the line came from
    public String path;
    public long device;
    public long inode;
    public int generation;
    public byte sourceKind;
    public long offset;
    public int flags;
    /**
     * The node's boot id from the segment header: a replaced node that reuses the name (and, built from the same
     * image, the same inode numbers) is not mistaken for the old one by the replay dedupe.
     */
    public String incarnation;

    public long readTimeMillis;
    /** LINE: the raw bytes (no newline); POD: the metadata JSON; CORRUPT: the error text. */
    public byte[] data;
    /** SEGMENT: node attributes as key, value, key, value…; CORRUPT: the segment path. */
    public String[] attributes;

    public SpoolRecord() {}

    public static SpoolRecord segmentStart(SegmentHeader header) {
        SpoolRecord r = base(SEGMENT, header.cluster(), header.node(), header.seq(), 0);
        r.readTimeMillis = header.createdAtMillis();
        Map<String, String> attrs = header.nodeAttributes();
        r.attributes = new String[attrs.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : attrs.entrySet()) {
            r.attributes[i++] = e.getKey();
            r.attributes[i++] = e.getValue();
        }
        return r;
    }

    public static SpoolRecord line(SegmentHeader header, int index, LineEntry entry) {
        SpoolRecord r = base(LINE, header.cluster(), header.node(), header.seq(), index);
        FileRef file = entry.file();
        r.path = file.path();
        r.device = file.device();
        r.inode = file.inode();
        r.generation = file.generation();
        r.sourceKind = (byte) file.kind().code();
        r.offset = entry.offset();
        r.flags = entry.flags();
        r.incarnation = header.nodeAttributes().get(BOOT_ID);
        r.readTimeMillis = entry.readTimeMillis();
        r.data = entry.bytes();
        return r;
    }

    public static SpoolRecord pod(SegmentHeader header, int index, PodEntry entry) {
        SpoolRecord r = base(POD, header.cluster(), header.node(), header.seq(), index);
        r.readTimeMillis = entry.readTimeMillis();
        r.data = entry.json();
        return r;
    }

    public static SpoolRecord segmentEnd(SegmentHeader header, int index) {
        SpoolRecord r = base(SEGMENT_END, header.cluster(), header.node(), header.seq(), index);
        r.readTimeMillis = header.createdAtMillis();
        return r;
    }

    public static SpoolRecord corrupt(String cluster, String node, long seq, String segmentPath, String error) {
        SpoolRecord r = base(CORRUPT, cluster, node, seq, 0);
        r.attributes = new String[] {segmentPath};
        r.data = error.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        r.readTimeMillis = System.currentTimeMillis();
        return r;
    }

    private static SpoolRecord base(byte type, String cluster, String node, long seq, int index) {
        SpoolRecord r = new SpoolRecord();
        r.type = type;
        r.cluster = cluster;
        r.node = node;
        r.segmentSeq = seq;
        r.indexInSegment = index;
        return r;
    }

    /** The key of the keyed stage: every record of one node goes to the same subtask, in order. */
    public String nodeKey() {
        return cluster + "/" + node;
    }

    public SourceKind kind() {
        return SourceKind.ofCode(sourceKind);
    }

    /** Identity of the source file across renames: node boot, device, inode and truncation generation. */
    public String fileIdentity() {
        String file = device + ":" + inode + ":" + generation;
        return incarnation == null ? file : incarnation + "/" + file;
    }

    @Override
    public String toString() {
        return "SpoolRecord{type=" + type + ", " + nodeKey() + " seg=" + segmentSeq + "#" + indexInSegment
                + (path != null ? ", " + path + "@" + offset : "") + "}";
    }
}
