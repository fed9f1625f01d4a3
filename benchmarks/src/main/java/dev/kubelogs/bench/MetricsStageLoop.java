package dev.kubelogs.bench;

import dev.kubelogs.bench.loop.Alternation;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.bench.loop.Rounds;
import dev.kubelogs.bench.loop.ThreadCost;
import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.delta.DeltaOperator;
import dev.kubelogs.job.metrics.delta.SeriesBatchKey;
import dev.kubelogs.job.metrics.delta.SeriesGroupKey;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.ConstantBlock;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesBatchSerializer;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.model.SeriesGroupSerializer;
import dev.kubelogs.job.metrics.parse.ExpositionParser;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import dev.kubelogs.job.model.CloudWatchEventBundleSerializer;
import dev.kubelogs.job.model.CloudWatchEventSerializer;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.MemorySegment;
import org.apache.flink.core.memory.MemorySegmentFactory;
import org.apache.flink.runtime.io.network.api.serialization.RecordDeserializer;
import org.apache.flink.runtime.io.network.api.serialization.SpillingAdaptiveSpanningRecordDeserializer;
import org.apache.flink.runtime.io.network.api.writer.RecordWriter;
import org.apache.flink.runtime.io.network.buffer.Buffer;
import org.apache.flink.runtime.io.network.buffer.FreeingBufferRecycler;
import org.apache.flink.runtime.io.network.buffer.NetworkBuffer;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.plugable.DeserializationDelegate;
import org.apache.flink.runtime.plugable.NonReusingDeserializationDelegate;
import org.apache.flink.runtime.plugable.SerializationDelegate;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamElement;
import org.apache.flink.streaming.runtime.streamrecord.StreamElementSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * One stage of the metrics branch alone in one thread (issue 14), over one scrape of {@code targets}
 * {@link ExporterText} exporters as the scrape source groups them; prints the thread's CPU per sample of each round
 * (five passes over the groups) and the bytes it allocated per sample, and the best round of each.
 *
 * <ul>
 *   <li>{@code emf}: {@link EmfEventBuilder#build}, no metric declarations, so every group is one event (as in
 *       {@link MetricsBench}).
 *   <li>{@code emf-wire}: the same, and each event's way to the sink's buffer: serialized into the
 *       {@code keyBy(stream)}, read back as the sink's task reads it, and {@link BatchCutter#prepare}d.
 *   <li>{@code batch-emf}: each target's groups as the delta stage receives them, one {@link SeriesBatch} record
 *       serialized and read back, then the EMF stage over the groups read: the batch's deserialization and the
 *       work downstream that depends on the strings it makes (hashing, the EMF writer's caches).
 *   <li>{@code key}: what the keyBy between the source and the delta stage costs per group: the partitioner's key,
 *       the serialization, the deserialization and the keyed operator's key.
 *   <li>{@code delta}: the same, and the delta stage itself ({@link DeltaCalculator} in its {@link DeltaOperator}, a
 *       group per batch, in Flink's keyed operator test harness with the heap state backend, so RocksDB's cost does not hide the stage's own); each pass is the next
 *       scrape (one second later, the same values).
 *   <li>{@code delta-rocksdb}: the same with the {@link EmbeddedRocksDBStateBackend}, as the job ships: what the
 *       state's JNI reads and writes, the TTL wrapper and the state serializer add per sample.
 *   <li>{@code thread}: what the job's delta to EMF thread does, in its order: each target's scrape (counters risen
 *       since the last pass, one second later) as the one {@link SeriesBatch} record the thread reads and
 *       deserializes, the {@link DeltaOperator} on the heap state backend, the copy Flink's chaining makes of each
 *       group (the group itself: its serializer passes it on), the EMF stage, and each event serialized as the record writer serializes it for the sink's
 *       {@code keyBy}. The batch's serialization (the source thread's work) is not billed.
 *   <li>{@code thread-rocksdb}: the same with the {@link EmbeddedRocksDBStateBackend}.
 *   <li>{@code thread-copies}: {@code thread} alternated with {@code thread-deep}, the same with the chaining copy
 *       of each group as it was before the group's serializer passed it on as it is (its arrays cloned).
 *   <li>{@code cluster [targets] [rounds] [evictKb] [targetsPerRecord] [recordsPerWake]}: the thread as the cluster bench runs it, RocksDB as shipped
 *       ({@code cluster-heap}: the heap backend): one delta subtask of 4, so a quarter of each of {@code targets}
 *       (default 100) scrapes, each pass the exporters' next scrape; Flink's own record reader over 32 KB network
 *       buffers, the events into bundles, the memtable flushed by a checkpoint every 5 s of the bench's records; with
 *       {@code evictKb}, that much other memory written between two records, as the cluster's other threads and
 *       processes do in the ~20 ms between two records of a delta subtask (see {@link ClusterThreadPass}); with
 *       {@code targetsPerRecord}, that many targets' shares in one record (the job sends one each); with
 *       {@code recordsPerWake}, the eviction only after that many records. Each pass is one scrape of every target,
 *       so "per sample" is per sample of this subtask's share.
 *   <li>{@code cluster-blocks [targets] [rounds] [evictKb]}: {@code cluster} alternated with the same where each record
 *       carries its groups' constant part as a {@code ConstantBlock}, as the router sends a scrape layout's groups
 *       (the block's encoding is the source thread's work: not billed).
 * </ul>
 *
 * <p>Run from the benchmarks classpath: {@code java -cp … dev.kubelogs.bench.MetricsStageLoop
 * emf|emf-wire|batch-emf|key|delta|delta-rocksdb|thread|thread-rocksdb|thread-copies|cluster|cluster-heap [targets]
 * [rounds] [evictKb] [targetsPerRecord] [recordsPerWake]}; to compare two versions of the job's classes, put the other version's classes first on the
 * classpath and alternate the runs.
 */
public final class MetricsStageLoop {
    private static final int PASSES = 5;
    /** The job's max parallelism ({@code pipeline.max-parallelism} of the shipped configurations). */
    private static final int MAX_PARALLELISM = 128;
    /** About a slot's managed memory in the bench's TaskManagers (3 GB process, 2 slots, Flink's 0.4 fraction). */
    private static final long SLOT_MANAGED_MEMORY = 256L << 20;
    /** Harnesses to close before exit: RocksDB's compaction filter must not outlive them. */
    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    /** This thread's CPU and allocated bytes spent preparing input, not the stage's: not billed. */
    private static ThreadCost unbilled = ThreadCost.ZERO;

    private MetricsStageLoop() {}

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        String stage = arguments.word(0, "emf");
        int targets = arguments.integer(1, "targets", 100);
        int rounds = arguments.integer(2, "rounds", 30);
        List<SeriesGroup> groups = stage.startsWith("cluster") ? List.of() : DeltaStateBench.groups(targets);
        long samples = 0;
        for (SeriesGroup g : groups) {
            samples += g.size();
        }
        Map<String, Pass> arms = new LinkedHashMap<>();
        switch (stage) {
            case "key":
                arms.put(stage, keyPass(null));
                break;
            case "delta":
                arms.put(stage, deltaPass(new HashMapStateBackend()));
                break;
            case "delta-rocksdb":
                arms.put(stage, deltaPass(new EmbeddedRocksDBStateBackend()));
                break;
            case "emf-wire":
                arms.put(stage, emfWirePass());
                break;
            case "batch-emf":
                arms.put(stage, batchEmfPass(groups));
                break;
            case "thread":
            case "thread-rocksdb":
                ThreadPass thread = new ThreadPass(
                        groups,
                        stage.equals("thread") ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend(),
                        g -> g);
                arms.put(stage, ignored -> thread.run());
                break;
            case "cluster":
            case "cluster-heap": {
                // the delta subtask's share at the bench's layout: 1 of 4 subtasks, every target's scrape
                int evictKb = arguments.integer(3, "evictKb", 0);
                int targetsPerRecord = arguments.integer(4, "targetsPerRecord", 1);
                int recordsPerWake = arguments.integer(5, "recordsPerWake", 1);
                ClusterThreadPass cluster = new ClusterThreadPass(
                        targets,
                        0,
                        stage.equals("cluster") ? new EmbeddedRocksDBStateBackend(true) : new HashMapStateBackend(),
                        evictKb,
                        targetsPerRecord,
                        recordsPerWake);
                samples = cluster.samplesPerScrape();
                groups = cluster.firstScrape();
                arms.put(
                        stage
                                + (evictKb > 0 ? "-evict" + evictKb + "k" : "")
                                + (targetsPerRecord > 1 ? "-" + targetsPerRecord + "-targets-a-record" : "")
                                + (recordsPerWake > 1 ? "-" + recordsPerWake + "-records-a-wake" : ""),
                        ignored -> cluster.run());
                break;
            }
            case "cluster-blocks": {
                int evictKb = args.length > 3 ? Integer.parseInt(args[3]) : 0;
                ClusterThreadPass plain =
                        new ClusterThreadPass(targets, 0, new EmbeddedRocksDBStateBackend(true), evictKb, 1, 1, false);
                ClusterThreadPass blocks =
                        new ClusterThreadPass(targets, 0, new EmbeddedRocksDBStateBackend(true), evictKb, 1, 1, true);
                samples = plain.samplesPerScrape();
                groups = plain.firstScrape();
                String suffix = evictKb > 0 ? "-evict" + evictKb + "k" : "";
                arms.put("cluster" + suffix, ignored -> plain.run());
                arms.put("cluster-blocks" + suffix, ignored -> blocks.run());
                break;
            }
            case "thread-copies":
                ThreadPass now = new ThreadPass(groups, new HashMapStateBackend(), g -> g);
                ThreadPass deep = new ThreadPass(groups, new HashMapStateBackend(), ChainedCopyLoop::deepCopy);
                arms.put("thread", ignored -> now.run());
                arms.put("thread-deep", ignored -> deep.run());
                break;
            default:
                arms.put(stage, emfPass());
        }
        List<String> names = new ArrayList<>(arms.keySet());
        Rounds[] ns = new Rounds[names.size()];
        Rounds[] allocated = new Rounds[names.size()];
        java.util.Arrays.setAll(ns, a -> new Rounds());
        java.util.Arrays.setAll(allocated, a -> new Rounds());
        long check = 0;
        for (int r = 0; r < rounds; r++) {
            for (int arm : Alternation.rotated(r, names.size())) {
                Pass pass = arms.get(names.get(arm));
                ThreadCost unbilledBefore = unbilled;
                ThreadCost start = ThreadCost.now();
                for (int p = 0; p < PASSES; p++) {
                    check += pass.run(groups);
                }
                ThreadCost billed = start.elapsed().minus(unbilled.minus(unbilledBefore));
                double nsPerSample = billed.cpuNanosPer((double) PASSES * samples);
                double bytesPerSample = billed.allocatedBytesPer((double) PASSES * samples);
                ns[arm].add(nsPerSample);
                allocated[arm].add(bytesPerSample);
                System.out.printf(
                        "round %d %s: %.1f ns, %.1f bytes allocated per sample%n",
                        r + 1, names.get(arm), nsPerSample, bytesPerSample);
            }
        }
        for (int arm = 0; arm < names.size(); arm++) {
            System.out.printf(
                    "%s stage: %d groups, %d samples (check %d); best of %d rounds: %.1f ns, %.1f bytes allocated per"
                            + " sample%n",
                    names.get(arm), groups.size(), samples, check, rounds, ns[arm].best(), allocated[arm].best());
        }
        for (AutoCloseable c : OPEN) {
            c.close();
        }
    }

    private interface Pass {
        /** Runs the stage over the groups; returns a number that depends on the work, so none of it is skipped. */
        long run(List<SeriesGroup> groups) throws Exception;
    }

    private static Pass emfPass() {
        EmfEventBuilder builder = EmfEventBuilder.builder("bench-cluster").build();
        long[] chars = new long[1];
        return groups -> {
            for (SeriesGroup g : groups) {
                builder.build(g, e -> chars[0] += e.message != null ? e.message.length() : e.messageUtf8.length);
            }
            return chars[0];
        };
    }

    /** The EMF stage and each event's way into the sink's buffer, as far as the sink's writer prepares it. */
    private static Pass emfWirePass() {
        EmfEventBuilder builder = EmfEventBuilder.builder("bench-cluster").build();
        CloudWatchEventSerializer serializer = CloudWatchEventSerializer.INSTANCE;
        BatchCutter cutter = BatchCutter.defaults();
        DataOutputSerializer out = new DataOutputSerializer(4096);
        DataInputDeserializer in = new DataInputDeserializer();
        long[] bytes = new long[1];
        return groups -> {
            for (SeriesGroup g : groups) {
                builder.build(g, e -> {
                    try {
                        out.clear();
                        serializer.serialize(e, out);
                        in.setBuffer(out.getSharedBuffer(), 0, out.length());
                        CloudWatchEvent received = serializer.deserialize(in);
                        bytes[0] += cutter.prepare(received).event.utf8().length;
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
            return bytes[0];
        };
    }

    /** A record per target, through the batch's serializer, and the EMF stage over what comes out. */
    private static Pass batchEmfPass(List<SeriesGroup> groups) {
        EmfEventBuilder builder = EmfEventBuilder.builder("bench-cluster").build();
        SeriesBatchSerializer serializer = SeriesBatchSerializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        DataInputDeserializer in = new DataInputDeserializer();
        long[] chars = new long[1];
        Map<String, List<SeriesGroup>> byTarget = new LinkedHashMap<>();
        for (SeriesGroup g : groups) {
            byTarget.computeIfAbsent(g.labels.get("instance"), k -> new ArrayList<>())
                    .add(g);
        }
        return ignored -> {
            for (List<SeriesGroup> target : byTarget.values()) {
                out.clear();
                serializer.serialize(new SeriesBatch(0, 1, target), out);
                in.setBuffer(out.getSharedBuffer(), 0, out.length());
                for (SeriesGroup g : serializer.deserialize(in).groups) {
                    builder.build(g, e -> chars[0] += e.message != null ? e.message.length() : e.messageUtf8.length);
                }
            }
            return chars[0];
        };
    }

    /**
     * The delta to EMF thread: a batch record per target read back, the delta operator, the chaining copy (the
     * harness's output copies each group), the EMF stage and each event's serialization for the shuffle.
     */
    private static final class ThreadPass {
        private final List<List<SeriesGroup>> byTarget;
        private final KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesBatch, SeriesGroup> harness;
        private final EmfEventBuilder builder =
                EmfEventBuilder.builder("bench-cluster").build();
        private final DataOutputSerializer batchOut = new DataOutputSerializer(1 << 16);
        private final DataInputDeserializer batchIn = new DataInputDeserializer();
        private final DataOutputSerializer eventOut = new DataOutputSerializer(4096);
        private final List<byte[]> records = new ArrayList<>();
        /** Applied to each group of deltas after the harness's output: a chaining copy of the bench's own. */
        private final java.util.function.UnaryOperator<SeriesGroup> chainCopy;

        private long scrape;
        private long bytes;

        ThreadPass(
                List<SeriesGroup> groups, StateBackend backend, java.util.function.UnaryOperator<SeriesGroup> chainCopy)
                throws Exception {
            this.chainCopy = chainCopy;
            Map<String, List<SeriesGroup>> targets = new LinkedHashMap<>();
            for (SeriesGroup g : groups) {
                targets.computeIfAbsent(g.labels.get("instance"), k -> new ArrayList<>())
                        .add(g);
            }
            byTarget = List.copyOf(targets.values());
            harness = harness(backend);
        }

        long run() throws Exception {
            prepareRecords();
            for (byte[] record : records) {
                batchIn.setBuffer(record);
                SeriesBatch batch = SeriesBatchSerializer.INSTANCE.deserialize(batchIn);
                harness.processElement(batch, batch.groups.get(0).timestampMs);
                for (Object o : harness.getOutput()) {
                    @SuppressWarnings("unchecked")
                    SeriesGroup delta = chainCopy.apply(((StreamRecord<SeriesGroup>) o).getValue());
                    builder.build(delta, e -> {
                        try {
                            eventOut.clear();
                            CloudWatchEventSerializer.INSTANCE.serialize(e, eventOut);
                            bytes += eventOut.length();
                        } catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                    });
                }
                harness.getOutput().clear();
            }
            return bytes;
        }

        /** The next scrape's records, as the source thread would have serialized them: not billed. */
        private void prepareRecords() throws IOException {
            ThreadCost start = ThreadCost.now();
            long n = scrape++;
            long timestamp = 1_700_000_000_000L + 1_000L * n;
            records.clear();
            for (List<SeriesGroup> target : byTarget) {
                List<SeriesGroup> groups = new ArrayList<>(target.size());
                for (SeriesGroup g : target) {
                    double[] values = java.util.Arrays.copyOf(g.values, g.values.length);
                    for (int k = 0; k < values.length; k++) {
                        values[k] += n * (k % 3) * 0.5; // some counters rise, by halves, some stay
                    }
                    groups.add(
                            new SeriesGroup(g.logStream, g.labels, g.type, timestamp, g.names, values, g.upperBounds));
                }
                batchOut.clear();
                SeriesBatchSerializer.INSTANCE.serialize(new SeriesBatch(0, 1, groups), batchOut);
                records.add(batchOut.getCopyOfBuffer());
            }
            unbilled = unbilled.plus(start.elapsed());
        }
    }

    /**
     * The delta to EMF thread as the cluster bench runs it: one delta subtask of {@link #SUBTASKS} (the bench's
     * parallelism), so a share of every target's scrape rather than whole scrapes of fewer targets. Not billed, as it
     * is the source thread's work there: each scrape the exporters' next body ({@link ExporterText#render}) parsed and
     * grouped as the scrape source groups it, keyed and split by subtask as {@code DeltaRouter} splits it (the key
     * travels in the batch), serialized as the record writer serializes it and packed into network buffers of Flink's
     * 32 KB. Billed: Flink's record reader (spanning records included) over those buffers, {@link DeltaOperator} in
     * the keyed harness, the events into bundles as {@code EmfBundleOperator} makes them (a bundle also leaves after
     * the records its 100 ms hold sees at the bench's rate), each bundle serialized for the sink's shuffle. With
     * RocksDB an incremental checkpoint every 5 s of the bench's records flushes the memtable, as the job's do (not
     * billed: the sync part is small, the rest runs on other threads there). With {@code evictKb} the thread writes
     * that much other memory after each record, not billed: what other threads and processes leave in the core's
     * caches in the ~20 ms between two records of a delta subtask.
     */
    static final class ClusterThreadPass {
        static final int SUBTASKS = 4;
        private static final int BUFFER_SIZE = 32 * 1024;
        /** The bench's scrape interval: a target's record reaches a subtask every 2 s. */
        private static final double INTERVAL_S = 2.0;

        private final int targets;
        private final int subtask;
        private final int targetsPerRecord;
        private final int recordsPerWake;
        private final boolean blocks;
        private final KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesBatch, SeriesGroup> harness;
        private final boolean checkpoints;
        private final long[] evict;
        private final int recordsPerHold;
        private final int recordsPerCheckpoint;
        private final EmfEventBuilder builder =
                EmfEventBuilder.builder("bench-cluster").build();
        private final ExpositionParser parser = new ExpositionParser();
        private final StreamElementSerializer<SeriesBatch> batchSerializer =
                new StreamElementSerializer<>(SeriesBatchSerializer.INSTANCE);
        private final StreamElementSerializer<CloudWatchEventBundle> bundleSerializer =
                new StreamElementSerializer<>(CloudWatchEventBundleSerializer.INSTANCE);
        private final RecordDeserializer<DeserializationDelegate<StreamElement>> reader =
                new SpillingAdaptiveSpanningRecordDeserializer<>(new String[] {System.getProperty("java.io.tmpdir")});
        private final NonReusingDeserializationDelegate<StreamElement> delegate =
                new NonReusingDeserializationDelegate<>(batchSerializer);
        private final DataOutputSerializer recordOut = new DataOutputSerializer(1 << 16);
        private final DataOutputSerializer bundleOut = new DataOutputSerializer(1 << 16);
        private final List<byte[]> buffers = new ArrayList<>();
        private final StreamRecord<CloudWatchEventBundle> bundleRecord = new StreamRecord<>(null);

        private CloudWatchEventBundle bundle;
        private long scrape;
        private long records;
        private long checkpointId;
        private long bytes;
        private long events;
        private long samplesPerScrape;
        private List<SeriesGroup> firstScrape;

        ClusterThreadPass(int targets, int subtask, StateBackend backend, int evictKb) throws Exception {
            this(targets, subtask, backend, evictKb, 1, 1);
        }

        /**
         * @param targetsPerRecord the shares of this many targets' scrapes in one record (the job sends 1): what
         *     fewer, larger records would save
         * @param recordsPerWake records read between two evictions (the job's thread wakes for ~1.2): what more
         *     records a network buffer (a longer buffer timeout on the edge) would save
         */
        ClusterThreadPass(
                int targets, int subtask, StateBackend backend, int evictKb, int targetsPerRecord, int recordsPerWake)
                throws Exception {
            this(targets, subtask, backend, evictKb, targetsPerRecord, recordsPerWake, false);
        }

        /** @param blocks each record with its groups' constant part as a {@link ConstantBlock} */
        ClusterThreadPass(
                int targets,
                int subtask,
                StateBackend backend,
                int evictKb,
                int targetsPerRecord,
                int recordsPerWake,
                boolean blocks)
                throws Exception {
            this.blocks = blocks;
            this.targets = targets;
            this.subtask = subtask;
            this.targetsPerRecord = targetsPerRecord;
            this.recordsPerWake = recordsPerWake;
            this.checkpoints = backend instanceof EmbeddedRocksDBStateBackend;
            this.evict = new long[Math.max(1, evictKb * 1024 / Long.BYTES)];
            this.recordsPerHold = Math.max(1, (int) Math.round(targets / INTERVAL_S * 0.1 / targetsPerRecord));
            this.recordsPerCheckpoint = Math.max(1, (int) Math.round(targets / INTERVAL_S * 5 / targetsPerRecord));
            this.harness = harness(backend, SUBTASKS, subtask);
            prepareRecords();
            scrape = 0;
        }

        /** This subtask's samples in each scrape of all targets. */
        long samplesPerScrape() {
            return samplesPerScrape;
        }

        /** The EMF events made so far. */
        long events() {
            return events;
        }

        List<SeriesGroup> firstScrape() {
            return firstScrape;
        }

        private long runScrape() throws Exception {
            prepareRecords();
            for (byte[] buffer : buffers) {
                MemorySegment segment = MemorySegmentFactory.wrap(buffer);
                reader.setNextBuffer(new NetworkBuffer(
                        segment, FreeingBufferRecycler.INSTANCE, Buffer.DataType.DATA_BUFFER, buffer.length));
                while (true) {
                    RecordDeserializer.DeserializationResult result = reader.getNextRecord(delegate);
                    if (result.isFullRecord()) {
                        process(delegate.getInstance().<SeriesBatch>asRecord().getValue());
                    }
                    if (result.isBufferConsumed()) {
                        break;
                    }
                }
            }
            return bytes;
        }

        private void process(SeriesBatch batch) throws Exception {
            harness.processElement(batch, batch.groups.get(0).timestampMs);
            for (Object o : harness.getOutput()) {
                @SuppressWarnings("unchecked")
                SeriesGroup delta = ((StreamRecord<SeriesGroup>) o).getValue();
                builder.build(delta, this::append);
            }
            harness.getOutput().clear();
            records++;
            if (records % recordsPerHold == 0) {
                emitBundle();
            }
            if (checkpoints && records % recordsPerCheckpoint == 0) {
                unbilled(() -> {
                    emitBundle();
                    harness.snapshot(++checkpointId, checkpointId);
                    harness.notifyOfCompletedCheckpoint(checkpointId);
                });
            }
            if (evict.length > 1 && records % recordsPerWake == 0) {
                unbilled(() -> {
                    for (int i = 0; i < evict.length; i += 8) {
                        evict[i] += i;
                    }
                });
            }
        }

        private void append(CloudWatchEvent e) {
            if (bundle != null
                    && !(bundle.logStream().equals(e.logStream)
                            && bundle.logGroup().equals(e.logGroup))) {
                emitBundle();
            }
            if (bundle == null) {
                bundle = new CloudWatchEventBundle(e.logGroup, e.logStream);
            }
            bundle.add(e.timestamp, e.messageUtf8);
            events++;
            if (bundle.size() >= 512 || bundle.messageBytes() >= 256 * 1024 /* EmfBundleOperator's limits */) {
                emitBundle();
            }
        }

        /** What the record writer does with a bundle: the length-prefixed stream record's bytes. */
        private void emitBundle() {
            if (bundle == null) {
                return;
            }
            try {
                bytes += RecordWriter.serializeRecord(bundleOut, new SerializationDelegate<>(bundleSerializer) {
                            {
                                setInstance(bundleRecord.replace(bundle));
                            }
                        })
                        .remaining();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            bundle = null;
        }

        private interface Work {
            void run() throws Exception;
        }

        private static void unbilled(Work work) throws Exception {
            ThreadCost start = ThreadCost.now();
            work.run();
            unbilled = unbilled.plus(start.elapsed());
        }

        /**
         * Runs the next scrape of every target (the first primes), this subtask's share; returns the bytes of the
         * bundles it made so far.
         */
        long run() throws Exception {
            return runScrape();
        }

        /** The next scrape of every target, this subtask's share of each as one record, in network buffers. */
        private void prepareRecords() throws Exception {
            unbilled(() -> {
                long n = scrape++;
                long timestamp = 1_700_000_000_000L + 2_000L * n;
                List<SeriesGroup> kept = new ArrayList<>();
                ByteArrayOutputStream stream = new ByteArrayOutputStream();
                long samples = 0;
                List<SeriesGroup> record = new ArrayList<>();
                for (int t = 0; t < targets; t++) {
                    for (SeriesGroup g : DeltaStateBench.scrape(parser, t, n, timestamp)) {
                        Tuple2<Long, Long> key = SeriesGroupKey.of(g);
                        if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, SUBTASKS)
                                == subtask) {
                            record.add(g);
                            samples += g.size();
                        }
                    }
                    if ((t + 1) % targetsPerRecord != 0 && t + 1 < targets) {
                        continue;
                    }
                    kept.addAll(record);
                    SeriesBatch batch =
                            new SeriesBatch(subtask, SUBTASKS, record, blocks ? ConstantBlock.encode(record) : null);
                    java.nio.ByteBuffer bytes =
                            RecordWriter.serializeRecord(recordOut, new SerializationDelegate<>(batchSerializer) {
                                {
                                    setInstance(new StreamRecord<>(batch, timestamp));
                                }
                            });
                    stream.write(bytes.array(), bytes.position(), bytes.remaining());
                    record = new ArrayList<>();
                }
                byte[] all = stream.toByteArray();
                buffers.clear();
                for (int from = 0; from < all.length; from += BUFFER_SIZE) {
                    buffers.add(java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + BUFFER_SIZE)));
                }
                samplesPerScrape = samples;
                if (firstScrape == null) {
                    firstScrape = kept;
                }
            });
        }
    }

    private static Pass deltaPass(StateBackend backend) throws Exception {
        return keyPass(harness(backend));
    }

    private static KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesBatch, SeriesGroup> harness(
            StateBackend backend) throws Exception {
        return harness(backend, 1, 0);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesBatch, SeriesGroup> harness(
            StateBackend backend, int parallelism, int subtask) throws Exception {
        // the harness's default environment gives the state backend 3 MB of managed memory: RocksDB would flush
        // its memtable every few thousand writes and read most keys from level-0 files; a slot of the job has
        // hundreds of MB (the shipped managed fraction of a TaskManager, split over its slots)
        MockEnvironment env = new MockEnvironmentBuilder()
                .setTaskName("metrics-delta")
                .setManagedMemorySize(SLOT_MANAGED_MEMORY)
                .setMaxParallelism(MAX_PARALLELISM)
                .setParallelism(parallelism)
                .setSubtaskIndex(subtask)
                .build();
        KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesBatch, SeriesGroup> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new DeltaOperator(new DeltaCalculator(Duration.ofMinutes(5))),
                        new SeriesBatchKey(),
                        SeriesGroupKey.TYPE,
                        env);
        harness.setStateBackend(backend);
        harness.open();
        OPEN.add(harness);
        return harness;
    }

    /** Through the keyBy, and into the harness when there is one. */
    private static Pass keyPass(
            KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesBatch, SeriesGroup> harness) {
        SeriesGroupKey selector = new SeriesGroupKey();
        long[] scrape = new long[1];
        SeriesGroupSerializer serializer = SeriesGroupSerializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(4096);
        DataInputDeserializer in = new DataInputDeserializer();
        return groups -> {
            long sum = 0;
            long timestamp = 1_700_000_000_000L + 1_000L * scrape[0]++;
            for (SeriesGroup source : groups) {
                // each pass starts from the group as the source makes it
                SeriesGroup g = new SeriesGroup(
                        source.logStream,
                        source.labels,
                        source.type,
                        timestamp,
                        source.names,
                        source.values,
                        source.upperBounds);
                sum += selector.getKey(g).f0;
                out.clear();
                serializer.serialize(g, out);
                in.setBuffer(out.getSharedBuffer(), 0, out.length());
                SeriesGroup received = serializer.deserialize(in);
                if (harness == null) {
                    sum += selector.getKey(received).f1;
                } else {
                    harness.processElement(new SeriesBatch(0, 1, List.of(received)), timestamp);
                    sum += harness.getOutput().size();
                    harness.getOutput().clear();
                }
            }
            return sum;
        };
    }
}
