package dev.kubelogs.bench;

import dev.kubelogs.bench.loop.Alternation;
import dev.kubelogs.bench.loop.CpuClock;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.bench.loop.LoopCluster;
import dev.kubelogs.bench.loop.Rounds;
import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.delta.DeltaStage;
import dev.kubelogs.job.metrics.delta.SeriesGroupKey;
import dev.kubelogs.job.metrics.emf.EmfBundleOperator;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEventBundleSerializer;
import java.time.Duration;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

/**
 * The metrics branch from the source's output to the EMF events, in a MiniCluster of this JVM (one TaskManager, two
 * slots, parallelism 2, heap state, or RocksDB as the job runs with {@code rocksdb}), with the two ways a scrape's groups can reach the delta stage (issue 14):
 *
 * <ul>
 *   <li>{@code per-group}: a record per group ({@code SeriesGroupSerializer} on the wire), {@code keyBy(series)} into
 *       the {@link DeltaCalculator}, as the job did before batches;
 *   <li>{@code batched}: a record per scrape, split by {@link DeltaStage} into a record per scrape and delta subtask.
 * </ul>
 *
 * Each job reads {@code scrapes} scrapes of {@code targets} {@link ExporterText} exporters (each target's scrapes in
 * order, one second apart, counters rising) from a sequence source, and ends in a discarding sink after the EMF
 * stage. A round runs both arms, alternating which goes first; it prints the process's CPU per sample of each (every
 * thread of this JVM: task threads, network, JIT, GC), and at the end the best and median round of each arm. The
 * MiniCluster stays up across rounds, so its start-up is not billed.
 *
 * <p>Run: {@code java -cp … dev.kubelogs.bench.MetricsShuffleLoop [targets] [scrapes] [rounds] [heap|rocksdb]}.
 */
public final class MetricsShuffleLoop {

    private MetricsShuffleLoop() {}

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        int targets = arguments.integer(0, "targets", 40);
        int scrapes = arguments.integer(1, "scrapes", 25);
        int rounds = arguments.integer(2, "rounds", 8);
        String backend = arguments.word(3, "hashmap");
        long samplesPerScrape = GeneratedScrapes.generate(targets);
        long samples = samplesPerScrape * scrapes;

        try (MiniCluster cluster = LoopCluster.start(1, 2)) {
            Rounds[] ns = {new Rounds(), new Rounds()};
            for (int r = 0; r < rounds; r++) {
                for (int arm : Alternation.rotated(r, 2)) {
                    boolean batched = arm == 1;
                    long start = CpuClock.processNanos();
                    LoopCluster.run(cluster, job(batched, GeneratedScrapes.targets(), scrapes, backend));
                    double perSample = (CpuClock.processNanos() - start) / (double) samples;
                    ns[arm].add(perSample);
                    System.out.printf(
                            "round %d %s: %.0f ns per sample%n", r + 1, batched ? "batched" : "per-group", perSample);
                }
            }
            System.out.printf(
                    "%s state, %d targets x %d scrapes = %d samples per job; per-group best %.0f median %.0f, batched best %.0f"
                            + " median %.0f ns per sample (process CPU)%n",
                    backend,
                    GeneratedScrapes.targets(),
                    scrapes,
                    samples,
                    ns[0].best(),
                    ns[0].median(),
                    ns[1].best(),
                    ns[1].median());
        }
    }

    private static StreamExecutionEnvironment job(boolean batched, int targets, int scrapes, String backend) {
        StreamExecutionEnvironment env = LoopCluster.environment(backend, 2);
        DataStream<SeriesBatch> scraped = env.fromSequence(0, (long) targets * scrapes - 1)
                .map(new GeneratedScrapes.Scrape(scrapes))
                .returns(TypeInformation.of(SeriesBatch.class));
        DeltaCalculator calculator = new DeltaCalculator(Duration.ofMinutes(5));
        SingleOutputStreamOperator<SeriesGroup> deltas = batched
                ? DeltaStage.deltas(scraped, calculator)
                : scraped.flatMap(new EachGroup())
                        .returns(TypeInformation.of(SeriesGroup.class))
                        .keyBy(new SeriesGroupKey())
                        .transform(
                                DeltaCalculator.UID,
                                TypeInformation.of(SeriesGroup.class),
                                new PerGroupDeltaOperator(calculator));
        deltas.transform(
                        EmfBundleOperator.UID,
                        CloudWatchEventBundleSerializer.of(),
                        new EmfBundleOperator(EmfEventBuilder.builder("bench-cluster")))
                .sinkTo(new DiscardingSink<>());
        return env;
    }

    /** A record per group, as the source emitted them before batches. */
    private static final class EachGroup implements FlatMapFunction<SeriesBatch, SeriesGroup> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(SeriesBatch scrape, Collector<SeriesGroup> out) {
            scrape.groups.forEach(out::collect);
        }
    }

    /**
     * What {@code KeyedProcessOperator(DeltaCalculator)} was: Flink sets each record's key from the keyBy, and the
     * calculator runs on the group; its output is stamped with the group's time.
     */
    private static final class PerGroupDeltaOperator extends AbstractUdfStreamOperator<SeriesGroup, DeltaCalculator>
            implements OneInputStreamOperator<SeriesGroup, SeriesGroup> {
        private static final long serialVersionUID = 1L;

        PerGroupDeltaOperator(DeltaCalculator calculator) {
            super(calculator);
        }

        @Override
        public void processElement(StreamRecord<SeriesGroup> element) throws Exception {
            userFunction.process(element.getValue(), new TimestampedCollector<>(output));
        }
    }
}
