package dev.kubelogs.bench;

import dev.kubelogs.bench.jmh.KeyedStageBench;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.bench.loop.Rounds;
import dev.kubelogs.bench.loop.ThreadCost;
import dev.kubelogs.collector.kubelet.JsonTree;
import dev.kubelogs.collector.kubelet.KubeletPods;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.merge.NodeProcessor;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import dev.kubelogs.job.source.SegmentBulkFormat;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.PodRecord;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The keyed thread of the log pipeline alone in one thread (issue 16): what one TaskManager task thread does for a
 * line between the spool segment and the sink writer's buffer. One second of the end-to-end bench's load of one node
 * ({@link LoadGenerator} at {@code --line-size lognormal:220,0.5}, 5 % of the lines in Java stack traces, host files)
 * is written into spool segments as the collector writes them (the node's pods first, then each file's new lines
 * pass after pass); every round then parses the segments ({@link SegmentReader}, {@link SegmentBulkFormat#toRecords}),
 * runs their records through {@link NodeProcessor} in Flink's keyed operator harness (RocksDB state as shipped, or
 * heap) and each event through the writer's event bytes ({@code BatchCutter.prepare}, as the writer calls it: its stream's
 * names checked once, not per event; kept in per-stream lists as the
 * writer buffers them). Each round is the next second of the same files (offsets and segment numbers move on).
 *
 * <p>Prints per round and as the best of the rounds: the thread's CPU ns and bytes allocated per line. With
 * {@code copies} as the fourth argument, every other round copies each record and event on the way in and out as
 * Flink's chaining did before their serializers passed them on as they are (the spool record's POJO copy, a new
 * event), and each arm's best is printed. Run from the
 * benchmarks classpath: {@code java -cp … dev.kubelogs.bench.KeyedThreadStageLoop [rocksdb|hashmap] [rounds]
 * [lines per second] [copies]}; to
 * compare two versions of the job's classes, put the other version's classes first on the classpath and alternate
 * the runs.
 */
public final class KeyedThreadStageLoop {
    static final String NODE = "ip-10-0-1-10.us-west-2.compute.internal";
    /** The collector's read passes per second of load (each reads every file's new lines). */
    static final int PASSES = 50;
    /** Read passes per segment. */
    static final int PASSES_PER_SEGMENT = 10;

    private KeyedThreadStageLoop() {}

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        String backend = arguments.word(0, "rocksdb");
        int rounds = arguments.integer(1, "rounds", 20);
        double linesPerSecond = arguments.number(2, "lines per second", 50_000);
        boolean alternateCopies = arguments.is(3, "copies");
        TypeSerializer<SpoolRecord> pojo =
                TypeInformation.of(SpoolRecord.class).createSerializer(new SerializerConfigImpl());
        // all rounds, and each arm's (now, deep) with copies
        Rounds cpuOfAll = new Rounds();
        Rounds bytesOfAll = new Rounds();
        Rounds[] cpuOf = {new Rounds(), new Rounds()};
        Rounds[] bytesOf = {new Rounds(), new Rounds()};
        Load load = load(linesPerSecond);
        System.out.printf(
                Locale.ROOT,
                "%d lines in %d segments (%d bytes of lines), %s state%n",
                load.lines,
                load.segments.size(),
                load.lineBytes,
                backend);

        MockEnvironment environment = KeyedStageBench.slotEnvironment();
        KeyedOneInputStreamOperatorTestHarness<String, SpoolRecord, CloudWatchEvent> harness =
                KeyedStageBench.openNodeProcessor(JobOptions.defaults(), backend, environment);
        BatchCutter cutter = BatchCutter.defaults();
        // the writer's own entry: it checks a stream's names once, when it first sees the stream, not per event
        Method prepare =
                BatchCutter.class.getDeclaredMethod("prepare", CloudWatchEvent.class, String.class, String.class);
        prepare.setAccessible(true);
        Map<String, List<SinkEvent>> buffers = new HashMap<>();
        long seq = 0;
        for (int round = 0; round < rounds; round++) {
            boolean deep = alternateCopies && round % 2 == 1;
            ThreadCost start = ThreadCost.now();
            long events = 0;
            for (byte[] segment : load.segments) {
                List<SpoolRecord> records = SegmentBulkFormat.toRecords(SegmentReader.parse(segment), 0)
                        .records();
                for (SpoolRecord r : records) {
                    r.segmentSeq = seq;
                    r.previousSeq = seq - 1;
                    if (r.lineOffsets != null) {
                        // the next second of the same files: nothing is taken for a replay
                        long base = round * load.fileBytes.get(r.path);
                        for (int l = 0; l < r.lineOffsets.length; l++) {
                            r.lineOffsets[l] += base;
                        }
                    }
                    harness.processElement(new StreamRecord<>(deep ? pojo.copy(r) : r, 0L));
                }
                seq++;
                events += drain(harness, cutter, prepare, buffers, deep);
            }
            buffers.clear(); // the barrier: the writer hands its buffers to the committer
            ThreadCost spent = start.elapsed();
            double cpu = spent.cpuNanosPer(load.lines);
            double bytes = spent.allocatedBytesPer(load.lines);
            cpuOfAll.add(cpu);
            bytesOfAll.add(bytes);
            cpuOf[deep ? 1 : 0].add(cpu);
            bytesOf[deep ? 1 : 0].add(bytes);
            System.out.printf(
                    Locale.ROOT,
                    "round %2d%s: %6.0f ns CPU, %7.0f bytes allocated per line (%d events)%n",
                    round,
                    deep ? " deep" : "",
                    cpu,
                    bytes,
                    events);
            if (events < load.lines * 0.7) {
                throw new IllegalStateException(load.lines + " lines gave only " + events + " events");
            }
        }
        System.out.printf(
                Locale.ROOT,
                "best of %d rounds: %.0f ns CPU, %.0f bytes allocated per line (%s state)%n",
                rounds,
                cpuOfAll.best(),
                bytesOfAll.best(),
                backend);
        if (alternateCopies) {
            for (int arm = 0; arm < 2; arm++) {
                System.out.printf(
                        Locale.ROOT,
                        "%s copies: best %.0f ns CPU, %.0f bytes allocated per line%n",
                        arm == 0 ? "now" : "deep",
                        cpuOf[arm].best(),
                        bytesOf[arm].best());
            }
        }
        harness.close();
        environment.close();
    }

    /** The events of the node processor's output through the writer's event bytes, into per-stream buffers. */
    private static long drain(
            KeyedOneInputStreamOperatorTestHarness<String, SpoolRecord, CloudWatchEvent> harness,
            BatchCutter cutter,
            Method prepare,
            Map<String, List<SinkEvent>> buffers,
            boolean deep)
            throws ReflectiveOperationException {
        long n = 0;
        Queue<StreamRecord<CloudWatchEvent>> out = harness.getSideOutput(OutputTags.EVENTS);
        if (out == null) {
            return 0;
        }
        for (StreamRecord<CloudWatchEvent> r; (r = out.poll()) != null; ) {
            CloudWatchEvent e = deep ? ChainedCopyLoop.fieldCopy(r.getValue()) : r.getValue();
            BatchCutter.Prepared p = (BatchCutter.Prepared) prepare.invoke(cutter, e, null, e.sourceId);
            if (p.event == null) {
                throw new IllegalStateException("the writer took no event of " + e);
            }
            buffers.computeIfAbsent(e.logStream, s -> new ArrayList<>()).add(p.event);
            n++;
        }
        return n;
    }

    /** One second of one node's load, as spool segments. */
    record Load(List<byte[]> segments, long lines, long lineBytes, Map<String, Long> fileBytes) {}

    static Load load(double linesPerSecond) throws Exception {
        Path root = Files.createTempDirectory("keyed-thread-loop");
        LoadGenerator.Config config = new LoadGenerator.Config(
                1,
                linesPerSecond,
                LineSizes.parse("lognormal:220,0.5"),
                0.05,
                8,
                30,
                0,
                0,
                0,
                0,
                LoadGenerator.HostMode.FILES,
                7);
        String podsJson;
        Path logRoot;
        try (LoadGenerator generator = new LoadGenerator(root, List.of(NODE), config)) {
            generator.run(1000);
            podsJson = generator.podsJson(0);
            logRoot = generator.logRoot(0);
        }
        List<FileRef> files = new ArrayList<>();
        List<List<byte[]>> lines = new ArrayList<>();
        Map<String, Long> fileBytes = new HashMap<>();
        long inode = 100;
        try (DirectoryStream<Path> containers = Files.newDirectoryStream(logRoot.resolve("containers"))) {
            for (Path link : containers) {
                files.add(new FileRef(
                        "/var/log/containers/" + link.getFileName(), 2049, inode++, 0, SourceKind.CONTAINER));
                lines.add(lines(Files.readAllBytes(link)));
            }
        }
        for (String host : new String[] {"messages", "secure", "dmesg"}) {
            files.add(new FileRef("/var/log/" + host, 2049, inode++, 0, SourceKind.HOST_FILE));
            lines.add(lines(Files.readAllBytes(logRoot.resolve(host))));
        }
        long total = 0;
        long totalBytes = 0;
        for (int f = 0; f < files.size(); f++) {
            long size = 0;
            for (byte[] l : lines.get(f)) {
                size += l.length + 1;
            }
            fileBytes.put(files.get(f).path(), size);
            total += lines.get(f).size();
            totalBytes += size;
        }
        List<byte[]> segments = new ArrayList<>();
        long[] offsets = new long[files.size()];
        int[] next = new int[files.size()];
        long readTime = 1_700_000_000_000L;
        for (int s = 0; s * PASSES_PER_SEGMENT < PASSES; s++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SegmentWriter writer = new SegmentWriter(
                    out,
                    new SegmentHeader(
                            "prod",
                            NODE,
                            s,
                            readTime,
                            Map.of("az", "us-west-2a", "ec2_instance_id", "i-0abc123def4567890")));
            if (s == 0) {
                for (Object item : JsonTree.elements(JsonTree.get(JsonTree.parse(podsJson), "items"))) {
                    PodRecord pod = KubeletPods.upsert(item, readTime);
                    writer.podMetadata(pod.toJson());
                }
            }
            int[] ids = new int[files.size()];
            for (int f = 0; f < files.size(); f++) {
                ids[f] = writer.declareFile(files.get(f), offsets[f]);
            }
            for (int p = s * PASSES_PER_SEGMENT; p < Math.min(PASSES, (s + 1) * PASSES_PER_SEGMENT); p++) {
                readTime += 1000 / PASSES;
                writer.readTime(readTime);
                for (int f = 0; f < files.size(); f++) {
                    List<byte[]> fileLines = lines.get(f);
                    int until = (int) ((long) fileLines.size() * (p + 1) / PASSES);
                    for (; next[f] < until; next[f]++) {
                        byte[] line = fileLines.get(next[f]);
                        writer.line(ids[f], line, 0, line.length, 0);
                        offsets[f] += line.length + 1;
                    }
                }
            }
            writer.finish();
            segments.add(out.toByteArray());
        }
        return new Load(segments, total, totalBytes, fileBytes);
    }

    private static List<byte[]> lines(byte[] file) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(file, start, i));
                start = i + 1;
            }
        }
        return out;
    }
}
