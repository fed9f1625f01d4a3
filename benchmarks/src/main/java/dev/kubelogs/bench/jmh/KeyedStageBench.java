package dev.kubelogs.bench.jmh;

import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.merge.NodeProcessor;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The keyed stage alone (issue 4): NodeProcessor in Flink's keyed operator test harness, fed whole segments of a
 * realistic node mix — Docker app lines (half JSON logs), CRI access lines, dataplane CRI lines, syslog host lines;
 * {@code traceShare} of the lines in Java stack traces. Dedupe, parse, multiline, routing, enrichment fallback
 * (no pod metadata: the kubernetes block from the file name) and event JSON, with heap or RocksDB keyed state.
 * Per line, one thread = one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KeyedStageBench {
    static final int LINES = 10_000;

    @Param({"hashmap", "rocksdb"})
    public String backend;

    @Param({"0.05"})
    public double traceShare;

    /** pods: the node's pods were announced (POD records, as with the kubelet): lines get the full kubernetes block; none: no metadata. */
    @Param({"pods", "none"})
    public String metadata;

    private KeyedOneInputStreamOperatorTestHarness<String, SpoolRecord, CloudWatchEvent> harness;
    private List<SpoolRecord> records;
    private long[] relOffset;
    private int[] fileOf;
    private long[] fileBytes;
    private long round;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        JobOptions options = metadata.equals("pods") ? JobOptions.defaults()
                : JobOptions.defaults().metadataWait(Duration.ZERO, JobOptions.defaults().maxAwaitingEventsPerNode());
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new NodeProcessor(options)),
                SpoolRecord::nodeKey, Types.STRING);
        if (backend.equals("rocksdb")) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        harness.setup();
        harness.open();

        FileRef[] files = {
            new FileRef("/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + "0a".repeat(32) + ".log", 2049, 101, 0, SourceKind.CONTAINER),
            new FileRef("/var/log/containers/frontend-6b8f9c7d5-k8s2p_web_nginx-" + "1b".repeat(32) + ".log", 2049, 102, 0, SourceKind.CONTAINER),
            new FileRef("/var/log/containers/aws-node-x7k2m_kube-system_aws-node-" + "2c".repeat(32) + ".log", 2049, 103, 0, SourceKind.CONTAINER),
            new FileRef("/var/log/messages", 2049, 104, 0, SourceKind.HOST_FILE)
        };
        SegmentHeader header = new SegmentHeader("prod", "ip-10-0-1-10.us-west-2.compute.internal", 0, 1_700_000_000_000L,
                Map.of("az", "us-west-2a", "ec2_instance_id", "i-0abc123def4567890"));
        if (metadata.equals("pods")) {
            // segment 0: the collector's announcement of the node's pods (kubelet /pods)
            List<SpoolRecord> pods = new ArrayList<>();
            pods.add(SpoolRecord.segmentStart(header));
            pods.add(SpoolRecord.pod(header, 1, new dev.kubelogs.spool.PodEntry(Lines.utf8(pod("shop", "orders-7d9c6b7f9d-x2m4q", "orders",
                    "0a".repeat(32))), 1_700_000_000_000L)));
            pods.add(SpoolRecord.pod(header, 2, new dev.kubelogs.spool.PodEntry(Lines.utf8(pod("web", "frontend-6b8f9c7d5-k8s2p", "nginx",
                    "1b".repeat(32))), 1_700_000_000_000L)));
            pods.add(SpoolRecord.segmentEnd(header, 3));
            for (SpoolRecord p : pods) {
                harness.processElement(p, 0L);
            }
            round = 1;
        }
        SplittableRandom r = new SplittableRandom(11);
        List<String> orders = Lines.mixedDocker(LINES, traceShare * 2, 5); // orders carries the traces (about half the lines)
        int oi = 0;
        records = new ArrayList<>();
        List<Integer> fileIdx = new ArrayList<>();
        List<Long> rel = new ArrayList<>();
        fileBytes = new long[files.length];
        records.add(SpoolRecord.segmentStart(header));
        fileIdx.add(-1);
        rel.add(0L);
        for (int i = 0; i < LINES; i++) {
            double p = r.nextDouble();
            int f;
            String text;
            if (p < 0.5) {
                f = 0;
                text = orders.get(oi++);
            } else if (p < 0.8) {
                f = 1;
                text = Lines.cri(i);
            } else if (p < 0.92) {
                f = 2;
                text = "2024-05-01T10:00:00.123456789Z stdout F {\"level\":\"info\",\"ts\":\"2024-05-01T10:00:00.123Z\","
                        + "\"caller\":\"ipamd/ipamd.go:1234\",\"msg\":\"Received ADD for pod shop/orders-" + i + "\"}";
            } else {
                f = 3;
                text = "May  1 10:00:00 ip-10-0-1-10 kubelet[3366]: I0501 10:00:00.123456 3366 kubelet_node_status.go:486] "
                        + "\"Recording event message for node\" node=\"ip-10-0-1-10.us-west-2.compute.internal\" seq=" + i;
            }
            byte[] bytes = Lines.utf8(text);
            records.add(SpoolRecord.line(header, records.size(), new LineEntry(files[f], fileBytes[f], bytes, 0, 1_700_000_000_500L)));
            fileIdx.add(f);
            rel.add(fileBytes[f]);
            fileBytes[f] += bytes.length + 1;
        }
        records.add(SpoolRecord.segmentEnd(header, records.size()));
        fileIdx.add(-1);
        rel.add(0L);
        fileOf = fileIdx.stream().mapToInt(Integer::intValue).toArray();
        relOffset = rel.stream().mapToLong(Long::longValue).toArray();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int segment() throws Exception {
        long seq = round++;
        for (int i = 0; i < records.size(); i++) {
            SpoolRecord rec = records.get(i);
            rec.segmentSeq = seq;
            if (fileOf[i] >= 0) {
                rec.offset = seq * fileBytes[fileOf[i]] + relOffset[i];
            }
            harness.processElement(rec, 0L);
        }
        int n = harness.getOutput().size();
        harness.getOutput().clear();
        for (Category c : Category.values()) {
            OutputTag<CloudWatchEvent> tag = OutputTags.of(c);
            if (harness.getSideOutput(tag) != null) {
                n += harness.getSideOutput(tag).size();
                harness.getSideOutput(tag).clear();
            }
        }
        return n;
    }

    private static String pod(String ns, String name, String container, String id) {
        return "{\"event\":\"upsert\",\"observedAt\":1700000000000,\"namespace\":\"" + ns + "\",\"name\":\"" + name
                + "\",\"uid\":\"5b0c6f0e-1c2d-4e5f-8a9b-" + id.substring(0, 12) + "\",\"podIp\":\"192.168.20.7\",\"nodeName\":"
                + "\"ip-10-0-1-10.us-west-2.compute.internal\",\"labels\":{\"app\":\"" + container + "\",\"pod-template-hash\":\"7d9c6b7f9d\"},"
                + "\"annotations\":{},\"containers\":[{\"name\":\"" + container + "\",\"containerId\":\"" + id
                + "\",\"imageId\":\"sha256:" + id + "\",\"image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/" + container + ":1.4.2\"}]}";
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        harness.close();
    }
}
