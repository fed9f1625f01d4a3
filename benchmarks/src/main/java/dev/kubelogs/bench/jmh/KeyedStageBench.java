package dev.kubelogs.bench.jmh;

import dev.kubelogs.bench.loop.CpuClock;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.merge.NodeProcessor;
import dev.kubelogs.job.model.CloudWatchEvent;
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
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
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
 * The records are what the spool source emits: a segment's lines in LINES batches, one per run of consecutive
 * lines of a file ({@code linesPerPass}). Per line, one thread = one core.
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

    /**
     * Lines the node writes between two read passes of the collector (it reads up to 64 KiB of each file per pass,
     * so a segment holds runs of consecutive lines per file, and the source sends a run as one LINES batch).
     * 200 ≈ a pass every 20 ms at 10k lines/s; 8 is the worst case of a collector that keeps up line by line.
     */
    @Param({"200"})
    public int linesPerPass;

    static final long SLOT_MANAGED_MEMORY = 512L << 20;

    private MockEnvironment environment;
    private KeyedOneInputStreamOperatorTestHarness<String, SpoolRecord, CloudWatchEvent> harness;
    private List<SpoolRecord> records;
    /** Per record: offsets of its lines relative to the file's start in the first round (null: not a batch). */
    private long[][] relOffsets;

    private int[] fileOf;
    private long[] fileBytes;
    private long round;

    /**
     * A task environment with one slot's managed memory. RocksDB sizes its write buffers from it; the harness's default
     * of a few pages makes it flush a memtable every few writes, which no TaskManager does. 512 MiB is one slot's share
     * of the FlinkDeployment's 3072m TaskManager (2 slots, managed fraction 0.4 of ~2.5 GB Flink memory).
     */
    public static MockEnvironment slotEnvironment() {
        return new MockEnvironmentBuilder()
                .setManagedMemorySize(SLOT_MANAGED_MEMORY)
                .build();
    }

    /** {@link NodeProcessor} in Flink's keyed operator harness, opened, on RocksDB ("rocksdb") or the heap. */
    public static KeyedOneInputStreamOperatorTestHarness<String, SpoolRecord, CloudWatchEvent> openNodeProcessor(
            JobOptions options, String backend, MockEnvironment environment) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SpoolRecord, CloudWatchEvent> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new NodeProcessor(options)),
                        SpoolRecord::nodeKey,
                        Types.STRING,
                        environment);
        if (backend.equals("rocksdb")) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        harness.setup();
        harness.open();
        return harness;
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        JobOptions options = metadata.equals("pods")
                ? JobOptions.defaults()
                : JobOptions.defaults()
                        .metadataWait(Duration.ZERO, JobOptions.defaults().maxAwaitingEventsPerNode());
        environment = slotEnvironment();
        harness = openNodeProcessor(options, backend, environment);

        FileRef[] files = {
            new FileRef(
                    "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + "0a".repeat(32) + ".log",
                    2049,
                    101,
                    0,
                    SourceKind.CONTAINER),
            new FileRef(
                    "/var/log/containers/frontend-6b8f9c7d5-k8s2p_web_nginx-" + "1b".repeat(32) + ".log",
                    2049,
                    102,
                    0,
                    SourceKind.CONTAINER),
            new FileRef(
                    "/var/log/containers/aws-node-x7k2m_kube-system_aws-node-" + "2c".repeat(32) + ".log",
                    2049,
                    103,
                    0,
                    SourceKind.CONTAINER),
            new FileRef("/var/log/messages", 2049, 104, 0, SourceKind.HOST_FILE)
        };
        SegmentHeader header = new SegmentHeader(
                "prod",
                "ip-10-0-1-10.us-west-2.compute.internal",
                0,
                1_700_000_000_000L,
                Map.of("az", "us-west-2a", "ec2_instance_id", "i-0abc123def4567890"));
        if (metadata.equals("pods")) {
            // segment 0: the collector's announcement of the node's pods (kubelet /pods)
            List<SpoolRecord> pods = new ArrayList<>();
            pods.add(SpoolRecord.segmentStart(header));
            pods.add(SpoolRecord.pod(
                    header,
                    1,
                    new dev.kubelogs.spool.PodEntry(
                            Lines.utf8(pod("shop", "orders-7d9c6b7f9d-x2m4q", "orders", "0a".repeat(32))),
                            1_700_000_000_000L)));
            pods.add(SpoolRecord.pod(
                    header,
                    2,
                    new dev.kubelogs.spool.PodEntry(
                            Lines.utf8(pod("web", "frontend-6b8f9c7d5-k8s2p", "nginx", "1b".repeat(32))),
                            1_700_000_000_000L)));
            pods.add(SpoolRecord.segmentEnd(header, 3));
            for (SpoolRecord p : pods) {
                harness.processElement(p, 0L);
            }
            round = 1;
        }
        SplittableRandom r = new SplittableRandom(11);
        List<String> orders =
                Lines.mixedDocker(LINES, traceShare * 2, 5); // orders carries the traces (about half the lines)
        int oi = 0;
        fileBytes = new long[files.length];
        List<List<LineEntry>> pass = new ArrayList<>();
        for (int f = 0; f < files.length; f++) {
            pass.add(new ArrayList<>());
        }
        records = new ArrayList<>();
        List<Integer> fileIdx = new ArrayList<>();
        List<long[]> rel = new ArrayList<>();
        records.add(SpoolRecord.segmentStart(header));
        fileIdx.add(-1);
        rel.add(null);
        int index = 1;
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
                text =
                        "2024-05-01T10:00:00.123456789Z stdout F {\"level\":\"info\",\"ts\":\"2024-05-01T10:00:00.123Z\","
                                + "\"caller\":\"ipamd/ipamd.go:1234\",\"msg\":\"Received ADD for pod shop/orders-" + i
                                + "\"}";
            } else {
                f = 3;
                text =
                        "May  1 10:00:00 ip-10-0-1-10 kubelet[3366]: I0501 10:00:00.123456 3366 kubelet_node_status.go:486] "
                                + "\"Recording event message for node\" node=\"ip-10-0-1-10.us-west-2.compute.internal\" seq="
                                + i;
            }
            byte[] bytes = Lines.utf8(text);
            pass.get(f).add(new LineEntry(files[f], fileBytes[f], bytes, 0, 1_700_000_000_500L));
            fileBytes[f] += bytes.length + 1;
            if ((i + 1) % linesPerPass == 0 || i == LINES - 1) {
                // one read pass of the collector: each file's new lines, file after file
                for (int pf = 0; pf < files.length; pf++) {
                    List<LineEntry> run = pass.get(pf);
                    for (int from = 0; from < run.size(); from += SpoolRecord.MAX_BATCH_LINES) {
                        List<LineEntry> batch =
                                run.subList(from, Math.min(run.size(), from + SpoolRecord.MAX_BATCH_LINES));
                        records.add(SpoolRecord.lines(header, index, batch));
                        index += batch.size();
                        fileIdx.add(pf);
                        rel.add(batch.stream().mapToLong(LineEntry::offset).toArray());
                    }
                    run.clear();
                }
            }
        }
        records.add(SpoolRecord.segmentEnd(header, index));
        fileIdx.add(-1);
        rel.add(null);
        fileOf = fileIdx.stream().mapToInt(Integer::intValue).toArray();
        relOffsets = rel.toArray(new long[0][]);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int segment() throws Exception {
        if (iterationCpuStart < 0) {
            iterationCpuStart = CpuClock.threadNanos();
            iterationProcessCpuStart = CpuClock.processNanos();
        }
        iterationLines += LINES;
        long seq = round++;
        for (int i = 0; i < records.size(); i++) {
            SpoolRecord rec = records.get(i);
            rec.segmentSeq = seq;
            if (fileOf[i] >= 0) {
                // the next segment continues every file: offsets move on, so nothing is taken for a replay
                long base = seq * fileBytes[fileOf[i]];
                for (int l = 0; l < rec.lineOffsets.length; l++) {
                    rec.lineOffsets[l] = base + relOffsets[i][l];
                }
            }
            harness.processElement(rec, 0L);
        }
        int n = harness.getOutput().size();
        harness.getOutput().clear();
        if (harness.getSideOutput(OutputTags.EVENTS) != null) {
            n += harness.getSideOutput(OutputTags.EVENTS).size();
            harness.getSideOutput(OutputTags.EVENTS).clear();
        }
        lastEvents = n;
        return n;
    }

    private static String pod(String ns, String name, String container, String id) {
        return "{\"event\":\"upsert\",\"observedAt\":1700000000000,\"namespace\":\"" + ns + "\",\"name\":\"" + name
                + "\",\"uid\":\"5b0c6f0e-1c2d-4e5f-8a9b-" + id.substring(0, 12)
                + "\",\"podIp\":\"192.168.20.7\",\"nodeName\":"
                + "\"ip-10-0-1-10.us-west-2.compute.internal\",\"labels\":{\"app\":\"" + container
                + "\",\"pod-template-hash\":\"7d9c6b7f9d\"},"
                + "\"annotations\":{},\"containers\":[{\"name\":\"" + container + "\",\"containerId\":\"" + id
                + "\",\"imageId\":\"sha256:" + id + "\",\"image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/"
                + container + ":1.4.2\"}]}";
    }

    /** Events of the last segment: a run that skipped lines (taken for replays, say) fails instead of scoring. */
    private int lastEvents;

    private long iterationLines;
    private long iterationCpuStart = -1;
    private long iterationProcessCpuStart;

    /**
     * JMH scores wall-clock throughput, which a loaded machine lowers; lines per CPU-second of the benchmark thread
     * is what one core does, printed per iteration as {@code cpu: N lines per CPU-second}, for the thread alone and for
     * the whole forked JVM (the thread plus GC, JIT and RocksDB's background threads).
     */
    @TearDown(Level.Iteration)
    public void checkEveryLineCameOut() {
        if (iterationCpuStart >= 0) {
            double cpuSeconds = (CpuClock.threadNanos() - iterationCpuStart) / 1e9;
            double processSeconds = (CpuClock.processNanos() - iterationProcessCpuStart) / 1e9;
            System.out.printf(
                    java.util.Locale.ROOT,
                    "cpu: %.0f lines per CPU-second of the thread, %.0f of the JVM (%d lines, %.2f / %.2f CPU-s)%n",
                    iterationLines / cpuSeconds,
                    iterationLines / processSeconds,
                    iterationLines,
                    cpuSeconds,
                    processSeconds);
        }
        iterationLines = 0;
        iterationCpuStart = -1;
        // stack traces join 5 % of the lines into fewer events; everything else is one event per line
        if (lastEvents < LINES * 0.9) {
            throw new IllegalStateException(
                    "the last segment of " + LINES + " lines gave only " + lastEvents + " events");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        harness.close();
        environment.close();
    }
}
