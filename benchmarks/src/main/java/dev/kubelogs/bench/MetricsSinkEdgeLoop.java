package dev.kubelogs.bench;

import dev.kubelogs.bench.loop.Alternation;
import dev.kubelogs.bench.loop.CpuClock;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.bench.loop.LoopCluster;
import dev.kubelogs.bench.loop.Rounds;
import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.delta.DeltaStage;
import dev.kubelogs.job.metrics.emf.EmfBundleOperator;
import dev.kubelogs.job.metrics.emf.EmfCounters;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesBatchSerializer;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import dev.kubelogs.job.model.CloudWatchEventBundleSerializer;
import dev.kubelogs.job.model.CloudWatchEventSerializer;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The metrics branch's two shuffles (issue 14), in a MiniCluster of this JVM with two TaskManagers of one slot each
 * (so half of each edge's records cross Flink's Netty, as between TaskManagers in the cluster), parallelism 2, heap or
 * RocksDB state. Each job reads {@code scrapes} scrapes of {@code targets} {@link ExporterText} exporters (as
 * {@link MetricsShuffleLoop}) through {@link DeltaStage} and the EMF stage into a consumer that reads every event's
 * bytes (what the sink's writer copies into its stream buffer); arms:
 *
 * <ul>
 *   <li>{@code chained}: the events are consumed in the EMF task (no second shuffle): the baseline;
 *   <li>{@code events}: a record per EMF event, keyBy(log stream), as the job did before bundles;
 *   <li>{@code bundles}: {@link EmfBundleOperator}'s records, keyBy(log stream), as the job does now.
 * </ul>
 *
 * A round runs every arm, rotating which goes first; it prints the process's CPU per sample of each (every thread of
 * this JVM), and at the end the best and median round of each. Before the rounds it prints each edge's bytes per
 * record and per sample, and its serializer's CPU (serialize + deserialize, one thread).
 *
 * <p>Run: {@code java -cp … dev.kubelogs.bench.MetricsSinkEdgeLoop [targets] [scrapes] [rounds] [heap|rocksdb]}.
 */
public final class MetricsSinkEdgeLoop {
    private static final String[] ARMS = {"chained", "events", "bundles"};
    /** Bytes the consumers read; checked equal across arms. */
    static final AtomicLong CONSUMED = new AtomicLong();

    private MetricsSinkEdgeLoop() {}

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        int targets = arguments.integer(0, "targets", 40);
        int scrapes = arguments.integer(1, "scrapes", 25);
        int rounds = arguments.integer(2, "rounds", 6);
        String backend = arguments.word(3, "hashmap");
        long samplesPerScrape = GeneratedScrapes.generate(targets);
        long samples = samplesPerScrape * scrapes;
        wireBytes(samplesPerScrape / targets);

        try (MiniCluster cluster = LoopCluster.start(2, 1)) {
            Rounds[] ns = new Rounds[ARMS.length];
            Arrays.setAll(ns, a -> new Rounds());
            long[] consumed = new long[ARMS.length];
            for (int r = 0; r < rounds; r++) {
                for (int arm : Alternation.rotated(r, ARMS.length)) {
                    CONSUMED.set(0);
                    long start = CpuClock.processNanos();
                    LoopCluster.run(cluster, job(ARMS[arm], GeneratedScrapes.targets(), scrapes, backend));
                    double perSample = (CpuClock.processNanos() - start) / (double) samples;
                    ns[arm].add(perSample);
                    consumed[arm] = CONSUMED.get();
                    System.out.printf(
                            "round %d %s: %.0f ns per sample (%d message bytes consumed)%n",
                            r + 1, ARMS[arm], perSample, consumed[arm]);
                }
            }
            System.out.printf(
                    "%s state, %d targets x %d scrapes = %d samples per job (process CPU):%n",
                    backend, GeneratedScrapes.targets(), scrapes, samples);
            for (int a = 0; a < ARMS.length; a++) {
                System.out.printf(
                        "  %-8s best %.0f median %.0f ns per sample%n", ARMS[a], ns[a].best(), ns[a].median());
            }
            if (consumed[1] != consumed[0] || consumed[2] != consumed[0]) {
                throw new IllegalStateException("the arms consumed different bytes: " + Arrays.toString(consumed));
            }
        }
    }

    /** Bytes on each edge for one scrape of the first target, and each serializer's CPU per sample. */
    private static void wireBytes(long samplesPerTarget) throws Exception {
        List<SeriesGroup> scrape = GeneratedScrapes.firstScrape(0);
        SeriesBatch batch = SeriesBatch.unrouted(scrape);
        EmfEventBuilder builder = EmfEventBuilder.builder("bench-cluster").build(new EmfCounters());
        List<CloudWatchEvent> events = new ArrayList<>();
        for (SeriesGroup g : scrape) {
            builder.build(g, events::add);
        }
        CloudWatchEventBundle bundle = new CloudWatchEventBundle(events.get(0).logGroup, events.get(0).logStream);
        long messages = 0;
        for (CloudWatchEvent e : events) {
            bundle.add(e.timestamp, e.messageUtf8);
            messages += e.messageUtf8.length;
        }
        DataOutputSerializer out = new DataOutputSerializer(1 << 20);
        SeriesBatchSerializer.INSTANCE.serialize(batch, out);
        long batchBytes = out.length();
        out.clear();
        for (CloudWatchEvent e : events) {
            CloudWatchEventSerializer.INSTANCE.serialize(e, out);
        }
        long eventBytes = out.length();
        out.clear();
        CloudWatchEventBundleSerializer.INSTANCE.serialize(bundle, out);
        long bundleBytes = out.length();
        System.out.printf(
                "one scrape of a target: %d samples, %d groups, %d EMF events (%d message bytes)%n",
                samplesPerTarget, scrape.size(), events.size(), messages);
        System.out.printf(
                "  delta edge (a SeriesBatch): %d bytes, %.1f a sample%n",
                batchBytes, batchBytes / (double) samplesPerTarget);
        System.out.printf(
                "  EMF edge as events: %d records, %d bytes (%.0f a record, %.1f a sample)%n",
                events.size(), eventBytes, eventBytes / (double) events.size(), eventBytes / (double) samplesPerTarget);
        System.out.printf(
                "  EMF edge as one bundle: %d bytes (%.1f a sample)%n",
                bundleBytes, bundleBytes / (double) samplesPerTarget);
        int reps = 2_000;
        for (int round = 0; round < 3; round++) {
            long t0 = CpuClock.threadNanos();
            for (int i = 0; i < reps; i++) {
                out.clear();
                SeriesBatchSerializer.INSTANCE.serialize(batch, out);
                SeriesBatchSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
            }
            long t1 = CpuClock.threadNanos();
            for (int i = 0; i < reps; i++) {
                out.clear();
                for (CloudWatchEvent e : events) {
                    CloudWatchEventSerializer.INSTANCE.serialize(e, out);
                }
                DataInputDeserializer in = new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
                for (int k = 0; k < events.size(); k++) {
                    CloudWatchEventSerializer.INSTANCE.deserialize(in);
                }
            }
            long t2 = CpuClock.threadNanos();
            for (int i = 0; i < reps; i++) {
                out.clear();
                CloudWatchEventBundleSerializer.INSTANCE.serialize(bundle, out);
                CloudWatchEventBundleSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
            }
            long t3 = CpuClock.threadNanos();
            double per = reps * (double) samplesPerTarget;
            System.out.printf(
                    "  serialize + deserialize, ns a sample (round %d): batch %.1f, events %.1f, bundle %.1f%n",
                    round + 1, (t1 - t0) / per, (t2 - t1) / per, (t3 - t2) / per);
        }
    }

    private static StreamExecutionEnvironment job(String arm, int targets, int scrapes, String backend) {
        StreamExecutionEnvironment env = LoopCluster.environment(backend, 2);
        DataStream<SeriesBatch> scraped = env.fromSequence(0, (long) targets * scrapes - 1)
                .map(new GeneratedScrapes.Scrape(scrapes))
                .returns(TypeInformation.of(SeriesBatch.class));
        DataStream<SeriesGroup> deltas = DeltaStage.deltas(scraped, new DeltaCalculator(Duration.ofMinutes(5)));
        EmfEventBuilder.Builder emf = EmfEventBuilder.builder("bench-cluster");
        switch (arm) {
            case "chained" -> deltas.flatMap(new EmfEvents(emf)).sinkTo(new Consume<>(false));
            case "events" ->
                deltas.flatMap(new EmfEvents(emf))
                        .keyBy(CloudWatchLogsSink.streamKeySelector())
                        .sinkTo(new Consume<>(false));
            case "bundles" ->
                deltas.transform(
                                EmfBundleOperator.UID, CloudWatchEventBundleSerializer.of(), new EmfBundleOperator(emf))
                        .keyBy(CloudWatchLogsSink.bundleStreamKeySelector())
                        .sinkTo(new Consume<>(true));
            default -> throw new IllegalArgumentException(arm);
        }
        return env;
    }

    /** The EMF stage as it was before bundles: a record per event. */
    private static final class EmfEvents extends RichFlatMapFunction<SeriesGroup, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        private final EmfEventBuilder.Builder settings;
        private transient EmfEventBuilder builder;

        EmfEvents(EmfEventBuilder.Builder settings) {
            this.settings = settings;
        }

        @Override
        public void open(OpenContext context) {
            builder = settings.build(new EmfCounters());
        }

        @Override
        public void flatMap(SeriesGroup group, Collector<CloudWatchEvent> out) {
            builder.build(group, out::collect);
        }
    }

    /** Reads each event's bytes, as the sink's writer copies them into its stream buffer. */
    private static final class Consume<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final boolean bundles;

        Consume(boolean bundles) {
            this.bundles = bundles;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                private long bytes;

                @Override
                public void write(T record, Context context) {
                    if (bundles) {
                        CloudWatchEventBundle b = (CloudWatchEventBundle) record;
                        for (int i = 0; i < b.size(); i++) {
                            read(b.event(i));
                        }
                    } else {
                        read((CloudWatchEvent) record);
                    }
                }

                private void read(CloudWatchEvent e) {
                    bytes += checksum(e.messageUtf8) + e.logStream.length();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {
                    CONSUMED.addAndGet(bytes);
                }
            };
        }
    }

    /** The message's length, after reading every byte of it. */
    private static long checksum(byte[] utf8) {
        int x = 0;
        for (byte b : utf8) {
            x += b;
        }
        return utf8.length + (x == Integer.MIN_VALUE ? 1 : 0);
    }
}
