package dev.kubelogs.job.merge;

import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.multiline.SelectedRuleSet;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.PodEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Drives a {@link NodeProcessor} through the keyed operator test harness the way the spool source
 * does: segments with a SEGMENT record, lines with running offsets per file, and a SEGMENT_END.
 */
final class NodeHarness implements AutoCloseable {
    static final String CLUSTER = "prod";
    static final String NODE = "ip-192-168-12-34.us-west-2.compute.internal";
    static final Map<String, String> ATTRS = Map.of("az", "us-west-2a", "ec2_instance_id", "i-0abc123def4567890");

    private final JobOptions options;
    KeyedOneInputStreamOperatorTestHarness<String, SpoolRecord, CloudWatchEvent> harness;
    private MockEnvironment environment;
    private final Map<String, Metric> metrics = new HashMap<>();
    private final Map<String, Long> offsets = new HashMap<>();
    private final Map<String, Long> inodes = new HashMap<>();
    private SegmentHeader header;
    /** The node whose segments {@link #segment} builds. */
    private String nodeName = NODE;

    private int index;
    private long nextSeq;
    /** The collector's read time of the lines and pod records that follow. */
    long readTime = 1_700_000_000_500L;
    /** The caught-up time the next segments state at their end; -1: they state none, as older collectors wrote. */
    long caughtUp = -1;

    NodeHarness(JobOptions options) throws Exception {
        this.options = options;
        open(null);
    }

    /** A harness whose lines never wait for pod metadata, with these user rule sets. */
    static NodeHarness withUserRuleSets(SelectedRuleSet... sets) throws Exception {
        return new NodeHarness(
                JobOptions.defaults().metadataWait(Duration.ZERO, 0).userRuleSets(List.of(sets)));
    }

    void open(OperatorSubtaskState restore) throws Exception {
        environment = StageHarness.environment("node-processor", metrics);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new NodeProcessor(options)),
                SpoolRecord::nodeKey,
                Types.STRING,
                environment);
        harness.setup();
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
    }

    /** Starts segment {@code seq} (records are buffered by the caller's order). */
    List<SpoolRecord> segment(long seq, Runnable body) {
        List<SpoolRecord> records = new ArrayList<>();
        header = new SegmentHeader(CLUSTER, nodeName, seq, 1_700_000_000_000L + seq, ATTRS);
        index = 0;
        records.add(SpoolRecord.segmentStart(header));
        index++;
        current = records;
        body.run();
        records.add(SpoolRecord.segmentEnd(header, index++, caughtUp));
        current = null;
        return batched ? batch(records) : records;
    }

    /** Whether lines go out as the source sends them (LINES batches per file run) or one LINE each, as 0.1.0 did. */
    boolean batched = true;

    /** Groups consecutive lines of one file like the source does, keeping each record's index of its first entry. */
    List<SpoolRecord> batch(List<SpoolRecord> records) {
        List<SpoolRecord> out = new ArrayList<>();
        List<LineEntry> run = new ArrayList<>();
        int runIndex = -1;
        for (SpoolRecord r : records) {
            if (r.type == SpoolRecord.LINE) {
                LineEntry e = new LineEntry(
                        new FileRef(r.path, r.device, r.inode, r.generation, r.kind()),
                        r.offset,
                        r.data,
                        r.flags,
                        r.readTimeMillis);
                if (!run.isEmpty()
                        && (!run.get(0).file().equals(e.file()) || run.size() == SpoolRecord.MAX_BATCH_LINES)) {
                    out.add(SpoolRecord.lines(header, runIndex, run));
                    run = new ArrayList<>();
                }
                if (run.isEmpty()) {
                    runIndex = r.indexInSegment;
                }
                run.add(e);
                continue;
            }
            if (!run.isEmpty()) {
                out.add(SpoolRecord.lines(header, runIndex, run));
                run = new ArrayList<>();
            }
            out.add(r);
        }
        return out;
    }

    private List<SpoolRecord> current;

    void line(String path, SourceKind kind, String text) {
        line(path, kind, text.getBytes(StandardCharsets.UTF_8), 0);
    }

    void line(String path, SourceKind kind, byte[] bytes, int flags) {
        long inode = inodes.computeIfAbsent(path, p -> 100L + inodes.size());
        FileRef file = new FileRef(path, 2049, inode, 0, kind);
        long offset = offsets.getOrDefault(path, 0L);
        current.add(SpoolRecord.line(header, index++, new LineEntry(file, offset, bytes, flags, readTime)));
        long consumed = kind == SourceKind.JOURNAL
                ? 1
                : bytes.length + ((flags & (LineFlags.PARTIAL | LineFlags.NO_NEWLINE)) == 0 ? 1 : 0);
        offsets.put(path, offset + consumed);
    }

    /** The file at {@code path} is replaced by a new one (kubelet rotated it): its lines get a new inode, offset 0. */
    void rotate(String path) {
        inodes.put(path, 100L + inodes.size() + 1000L);
        offsets.remove(path);
    }

    void pod(String json) {
        current.add(SpoolRecord.pod(header, index++, new PodEntry(json.getBytes(StandardCharsets.UTF_8), readTime)));
    }

    /** Builds and sends one whole segment with the next seq. */
    void send(Runnable body) throws Exception {
        send(segment(nextSeq++, body));
    }

    void send(List<SpoolRecord> records) throws Exception {
        for (SpoolRecord r : records) {
            harness.processElement(r, 0L);
        }
    }

    /** Sends segment {@code seq} of another node: another key, on the same subtask. */
    void sendFrom(String otherNode, long seq, Runnable body) throws Exception {
        nodeName = otherNode;
        try {
            send(segment(seq, body));
        } finally {
            nodeName = NODE;
        }
    }

    long takeSeq() {
        return nextSeq++;
    }

    void endOfInput() throws Exception {
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
    }

    void advanceProcessingTime(long millis) throws Exception {
        harness.setProcessingTime(harness.getProcessingTime() + millis);
    }

    OperatorSubtaskState snapshot() throws Exception {
        return harness.snapshot(1L, 1L);
    }

    /** The events of {@code category} (by their log group) on the node processor's output of events. */
    List<CloudWatchEvent> out(Category category) {
        List<CloudWatchEvent> events = new ArrayList<>();
        if (harness.getSideOutput(OutputTags.EVENTS) != null) {
            for (StreamRecord<CloudWatchEvent> r : harness.getSideOutput(OutputTags.EVENTS)) {
                if (Category.ofLogGroup(r.getValue().logGroup) == category) {
                    events.add(r.getValue());
                }
            }
        }
        return events;
    }

    List<String> messages(Category category) {
        List<String> m = new ArrayList<>();
        for (CloudWatchEvent e : out(category)) {
            m.add(e.message());
        }
        return m;
    }

    List<CloudWatchEvent> application() {
        return out(Category.APPLICATION);
    }

    /** A counter of the operator's {@code kubelogs} metric group, by name. */
    long counter(String name) {
        Metric metric = metrics.get(name);
        if (!(metric instanceof Counter counter)) {
            throw new AssertionError("no counter " + name + " among " + metrics.keySet());
        }
        return counter.getCount();
    }

    @Override
    public void close() throws Exception {
        harness.close();
        environment.close();
    }
}
