package dev.kubelogs.bench;

import dev.kubelogs.bench.jmh.KeyedStageBench;
import dev.kubelogs.bench.loop.Alternation;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.bench.loop.Rounds;
import dev.kubelogs.bench.loop.ThreadCost;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.merge.NodeProcessor;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.source.SegmentBulkFormat;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.job.source.SpoolSource;
import dev.kubelogs.spool.SegmentReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * What Flink's chaining costs on each chained edge of the job, with object reuse off (as it ships): the chained
 * output ({@code CopyingChainingOutput}) copies every record with the edge's serializer and wraps the copy in a new
 * {@code StreamRecord}. For each edge two arms, alternated in one JVM: {@code now}, the copy the edge's serializer
 * makes (the stream's type information, as the job builds the edge), and {@code deep}, the copy those serializers
 * made before records that are not written after their emission were passed on as they are (reproduced here).
 *
 * <ul>
 *   <li>{@code scrape>route}: a scrape's {@link SeriesBatch} (one per target) into the delta router; per sample.
 *   <li>{@code delta>emf}: each {@link SeriesGroup} of deltas into the EMF stage; per sample.
 *   <li>{@code spool>node}: each {@link SpoolRecord} of one second of one node's load
 *       ({@link KeyedThreadStageLoop#load}) into the node processor; per line.
 *   <li>{@code node>sink}: each {@link CloudWatchEvent} the node processor made of that load, through its side
 *       output into the sink's writer; per line (an event is a line or a joined trace).
 * </ul>
 * The writer to committer edge copies nothing (its committable's serializer returns it since it was written).
 *
 * <p>Run from the benchmarks classpath: {@code java -cp … dev.kubelogs.bench.ChainedCopyLoop [targets] [rounds]}.
 */
public final class ChainedCopyLoop {
    private static final int PASSES = 20;

    private ChainedCopyLoop() {}

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        int targets = arguments.integer(0, "targets", 100);
        int rounds = arguments.integer(1, "rounds", 15);

        List<SeriesGroup> groups = DeltaStateBench.groups(targets);
        long samples = 0;
        for (SeriesGroup g : groups) {
            samples += g.size();
        }
        Map<String, List<SeriesGroup>> byTarget = new LinkedHashMap<>();
        for (SeriesGroup g : groups) {
            byTarget.computeIfAbsent(g.labels.get("instance"), k -> new ArrayList<>())
                    .add(g);
        }
        List<SeriesBatch> scrapes = new ArrayList<>();
        for (List<SeriesGroup> target : byTarget.values()) {
            scrapes.add(SeriesBatch.unrouted(target));
        }

        KeyedThreadStageLoop.Load load = KeyedThreadStageLoop.load(50_000);
        List<SpoolRecord> records = new ArrayList<>();
        for (byte[] segment : load.segments()) {
            records.addAll(
                    SegmentBulkFormat.toRecords(SegmentReader.parse(segment), 0).records());
        }
        List<CloudWatchEvent> events = events(records);

        SerializerConfigImpl config = new SerializerConfigImpl();
        List<Arm<?>> arms = new ArrayList<>();
        TypeSerializer<SeriesBatch> batchNow =
                TypeInformation.of(SeriesBatch.class).createSerializer(config);
        TypeSerializer<SeriesGroup> groupNow =
                TypeInformation.of(SeriesGroup.class).createSerializer(config);
        TypeSerializer<SpoolRecord> spoolPojo =
                TypeInformation.of(SpoolRecord.class).createSerializer(config);
        TypeSerializer<SpoolRecord> spoolNow = SpoolSource.recordType().createSerializer(config);
        TypeSerializer<CloudWatchEvent> eventNow =
                TypeInformation.of(CloudWatchEvent.class).createSerializer(config);
        arms.add(new Arm<>("scrape>route now", scrapes, samples, batchNow::copy));
        arms.add(new Arm<>("scrape>route deep", scrapes, samples, ChainedCopyLoop::deepCopy));
        arms.add(new Arm<>("delta>emf now", groups, samples, groupNow::copy));
        arms.add(new Arm<>("delta>emf deep", groups, samples, ChainedCopyLoop::deepCopy));
        arms.add(new Arm<>("spool>node now", records, load.lines(), spoolNow::copy));
        arms.add(new Arm<>("spool>node deep", records, load.lines(), spoolPojo::copy));
        arms.add(new Arm<>("node>sink now", events, load.lines(), eventNow::copy));
        arms.add(new Arm<>("node>sink deep", events, load.lines(), ChainedCopyLoop::fieldCopy));
        System.out.printf(
                Locale.ROOT,
                "%d targets: %d batches, %d groups, %d samples; one node's second: %d spool records, %d lines,"
                        + " %d events%n",
                targets,
                scrapes.size(),
                groups.size(),
                samples,
                records.size(),
                load.lines(),
                events.size());

        long check = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i : Alternation.rotated(r, arms.size())) {
                Arm<?> arm = arms.get(i);
                ThreadCost start = ThreadCost.now();
                for (int p = 0; p < PASSES; p++) {
                    check += arm.pass();
                }
                arm.record(start.elapsed(), PASSES);
            }
        }
        for (Arm<?> arm : arms) {
            System.out.println(arm.summary(rounds));
        }
        System.out.println("check " + check);
    }

    /** The events the node processor makes of {@code records} (its output of events), in the harness it is benched in. */
    private static List<CloudWatchEvent> events(List<SpoolRecord> records) throws Exception {
        MockEnvironment environment = KeyedStageBench.slotEnvironment();
        KeyedOneInputStreamOperatorTestHarness<String, SpoolRecord, CloudWatchEvent> harness =
                KeyedStageBench.openNodeProcessor(JobOptions.defaults(), "hashmap", environment);
        List<CloudWatchEvent> events = new ArrayList<>();
        for (SpoolRecord r : records) {
            harness.processElement(new StreamRecord<>(r, 0L));
        }
        Queue<StreamRecord<CloudWatchEvent>> out = harness.getSideOutput(OutputTags.EVENTS);
        if (out != null) {
            for (StreamRecord<CloudWatchEvent> e; (e = out.poll()) != null; ) {
                events.add(e.getValue());
            }
        }
        harness.close();
        environment.close();
        if (events.isEmpty()) {
            throw new IllegalStateException(NodeProcessor.class.getSimpleName() + " made no events");
        }
        return events;
    }

    /** {@code SeriesBatchSerializer.copy} before: a new list of deep copies of the groups. */
    static SeriesBatch deepCopy(SeriesBatch from) {
        List<SeriesGroup> copied = new ArrayList<>(from.groups.size());
        for (SeriesGroup g : from.groups) {
            copied.add(deepCopy(g));
        }
        return new SeriesBatch(from.subtask, from.parallelism, copied);
    }

    /** {@code SeriesGroupSerializer.copy} before: the group and its arrays. */
    static SeriesGroup deepCopy(SeriesGroup from) {
        SeriesGroup copy = new SeriesGroup(
                from.logStream,
                from.labels,
                from.type,
                from.timestampMs,
                from.names == null ? null : from.names.clone(),
                from.values == null ? null : from.values.clone(),
                from.upperBounds == null ? null : from.upperBounds.clone());
        copy.sampleTimestamps = from.sampleTimestamps == null ? null : from.sampleTimestamps.clone();
        copy.seriesKey = from.seriesKey;
        return copy;
    }

    /** {@code CloudWatchEventSerializer.copy} before: a new event with the same fields. */
    static CloudWatchEvent fieldCopy(CloudWatchEvent from) {
        return from.message != null
                ? new CloudWatchEvent(
                        from.logGroup,
                        from.logStream,
                        from.timestamp,
                        from.message,
                        from.sourceId,
                        from.sourceOffset,
                        from.ownerKey)
                : CloudWatchEvent.ofUtf8(
                        from.logGroup,
                        from.logStream,
                        from.timestamp,
                        from.messageUtf8,
                        from.sourceId,
                        from.sourceOffset,
                        from.ownerKey);
    }

    /** One edge's copy over its records: what {@code CopyingChainingOutput.pushToOperator} does before the push. */
    private static final class Arm<T> {
        private final String name;
        private final List<T> records;
        private final long units;
        private final java.util.function.UnaryOperator<T> copy;
        private final StreamRecord<T> in = new StreamRecord<>(null, 0L);
        /** Where the pushed record goes, as a chained operator takes it: the copy cannot be optimized away. */
        private StreamRecord<T> pushed;

        private final Rounds ns = new Rounds();
        private final Rounds bytes = new Rounds();

        Arm(String name, List<T> records, long units, java.util.function.UnaryOperator<T> copy) {
            this.name = name;
            this.records = records;
            this.units = units;
            this.copy = copy;
        }

        long pass() {
            long sum = 0;
            for (T r : records) {
                pushed = in.replace(r).copy(copy.apply(r));
                sum += pushed.getValue() == r ? 1 : 2;
            }
            return sum;
        }

        void record(ThreadCost spent, int passes) {
            ns.add(spent.cpuNanosPer((double) passes * units));
            bytes.add(spent.allocatedBytesPer((double) passes * units));
        }

        String summary(int rounds) {
            return String.format(
                    Locale.ROOT,
                    "%-18s best of %d rounds: %7.2f ns, %7.1f bytes allocated per %s; %.0f ns per record",
                    name,
                    rounds,
                    ns.best(),
                    bytes.best(),
                    name.startsWith("spool") || name.startsWith("node") ? "line" : "sample",
                    ns.best() * units / records.size());
        }
    }
}
