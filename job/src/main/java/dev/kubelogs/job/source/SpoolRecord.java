package dev.kubelogs.job.source;

import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.PodEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.util.Map;

/**
 * What the spool source emits: a batch of consecutive lines of one file, one pod metadata record, the start of a
 * segment (with the node's attributes) or the notice that a segment was unreadable. A Flink POJO, so no Kryo; fields
 * may be added (the POJO serializer evolves, so held records in old savepoints stay readable), none renamed.
 *
 * <p>Lines travel in batches because the keyed stage's fixed costs are per record: the shuffle's serialization of
 * the file's path and identity, and the read and write of the file's replay position in keyed state (a RocksDB
 * lookup and put). A batch pays them once for up to {@link #MAX_BATCH_LINES} lines. Single LINE records are
 * what 0.1.0 emitted; they may still come out of a savepoint's held records and are handled as batches of one.
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
    /** Consecutive lines of one file: {@link #data} holds them back to back, {@link #lineEnds} where each ends. */
    public static final byte LINES = 6;

    /** {@link #flags} of a SEGMENT_END whose read time is its collector's caught-up time. */
    public static final int CAUGHT_UP = 1;

    public static final int MAX_BATCH_LINES = 1024;
    public static final int MAX_BATCH_BYTES = 256 * 1024;

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

    // LINES only, one entry per line; path, device, inode, generation, sourceKind and incarnation are the batch's
    /** Exclusive end of each line in {@link #data}; a line starts where the previous one ended. */
    public int[] lineEnds;

    public long[] lineOffsets;
    public int[] lineFlags;
    public long[] lineReadTimes;

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

    /** A batch of consecutive lines of one file, {@code entries} all of {@code entries.get(0).file()}. */
    public static SpoolRecord lines(SegmentHeader header, int index, java.util.List<LineEntry> entries) {
        LineEntry first = entries.get(0);
        SpoolRecord r = line(header, index, first);
        r.type = LINES;
        int n = entries.size();
        r.lineEnds = new int[n];
        r.lineOffsets = new long[n];
        r.lineFlags = new int[n];
        r.lineReadTimes = new long[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += entries.get(i).bytes().length;
        }
        r.data = new byte[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            LineEntry e = entries.get(i);
            System.arraycopy(e.bytes(), 0, r.data, at, e.bytes().length);
            at += e.bytes().length;
            r.lineEnds[i] = at;
            r.lineOffsets[i] = e.offset();
            r.lineFlags[i] = e.flags();
            r.lineReadTimes[i] = e.readTimeMillis();
        }
        r.offset = first.offset();
        r.flags = 0;
        return r;
    }

    /** Lines in this record: a LINES batch's count, 1 for a single LINE. */
    public int lineCount() {
        return type == LINES ? lineEnds.length : 1;
    }

    public int lineStart(int i) {
        return type == LINES && i > 0 ? lineEnds[i - 1] : 0;
    }

    public int lineLength(int i) {
        return type == LINES ? lineEnds[i] - lineStart(i) : data.length;
    }

    public long lineOffset(int i) {
        return type == LINES ? lineOffsets[i] : offset;
    }

    public int lineFlags(int i) {
        return type == LINES ? lineFlags[i] : flags;
    }

    public long lineReadTime(int i) {
        return type == LINES ? lineReadTimes[i] : readTimeMillis;
    }

    /** The bytes of line {@code i} as their own array (for state and dead letters; parsers read in place). */
    public byte[] lineBytes(int i) {
        return type == LINES ? java.util.Arrays.copyOfRange(data, lineStart(i), lineEnds[i]) : data;
    }

    public boolean carriesLines() {
        return type == LINE || type == LINES;
    }

    public static SpoolRecord pod(SegmentHeader header, int index, PodEntry entry) {
        SpoolRecord r = base(POD, header.cluster(), header.node(), header.seq(), index);
        r.readTimeMillis = entry.readTimeMillis();
        r.data = entry.json();
        return r;
    }

    public static SpoolRecord segmentEnd(SegmentHeader header, int index) {
        return segmentEnd(header, index, -1);
    }

    /**
     * The end of a segment; with {@code caughtUpMillis} not negative, one that states its collector's caught-up time
     * ({@code Segment#caughtUpMillis}): then {@link #statesCaughtUp} and {@link #readTimeMillis} is that time, else the
     * read time is the header's creation time.
     */
    public static SpoolRecord segmentEnd(SegmentHeader header, int index, long caughtUpMillis) {
        SpoolRecord r = base(SEGMENT_END, header.cluster(), header.node(), header.seq(), index);
        if (caughtUpMillis >= 0) {
            r.flags = CAUGHT_UP;
            r.readTimeMillis = caughtUpMillis;
        } else {
            r.readTimeMillis = header.createdAtMillis();
        }
        return r;
    }

    /** A SEGMENT_END whose read time is its collector's caught-up time. */
    public boolean statesCaughtUp() {
        return type == SEGMENT_END && (flags & CAUGHT_UP) != 0;
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
