package dev.kubelogs.bench;

import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.delta.DeltaStage;
import dev.kubelogs.job.metrics.delta.SeriesGroupKey;
import dev.kubelogs.job.metrics.emf.EmfBundleOperator;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEventBundleSerializer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
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
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        String backend = args.length > 3 ? args[3] : "hashmap";
        long samplesPerScrape = GeneratedScrapes.generate(targets);
        long samples = samplesPerScrape * scrapes;

        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build())) {
            cluster.start();
            double[][] ns = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < 2; i++) {
                    boolean batched = (r + i) % 2 == 1;
                    long start = processCpuNanos();
                    cluster.executeJobBlocking(job(batched, GeneratedScrapes.targets(), scrapes, backend)
                            .getStreamGraph()
                            .getJobGraph());
                    double perSample = (processCpuNanos() - start) / (double) samples;
                    ns[batched ? 1 : 0][r] = perSample;
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
                    best(ns[0]),
                    median(ns[0]),
                    best(ns[1]),
                    median(ns[1]));
        }
    }

    private static StreamExecutionEnvironment job(boolean batched, int targets, int scrapes, String backend) {
        Configuration jobConf = new Configuration();
        jobConf.set(StateBackendOptions.STATE_BACKEND, backend.equals("heap") ? "hashmap" : backend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConf);
        env.setParallelism(2);
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

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double best(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
