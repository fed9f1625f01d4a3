package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.bench.DeltaStateBench;
import dev.kubelogs.bench.loop.Alternation;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.bench.loop.Rounds;
import dev.kubelogs.bench.loop.ThreadCost;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.io.RecordProcessorUtils;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.ThrowingConsumer;

/**
 * The sink writer's task thread per event in one thread, two ways alternated in one JVM: {@code keyed} sets the
 * stream key on the keyed state backend (RocksDB, as the job ships) before each record, as Flink does for an operator
 * that says it has a key context; {@code direct} is what Flink does for {@link CloudWatchLogsWriterOperator}, which
 * says it has none ({@link RecordProcessorUtils#getRecordProcessor}). The events are the metrics bench's: one scrape
 * of {@code targets} {@code ExporterText} exporters through the EMF stage, each event serialized and read back as
 * the writer's input receives it; a barrier's cut after each pass. Prints each round's thread CPU and allocation per
 * event, then each arm's best and median.
 *
 * <p>{@code java -cp … dev.kubelogs.job.sink.cloudwatch.WriterKeyLoop [targets] [rounds]}
 */
public final class WriterKeyLoop {
    private WriterKeyLoop() {}

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        int targets = arguments.integer(0, "targets", 60);
        int rounds = arguments.integer(1, "rounds", 20);
        List<CloudWatchEvent> events = events(targets);
        Path deadLetters = Files.createTempDirectory("writer-key-loop");
        CloudWatchLogsSinkConfig config = CloudWatchLogsSink.builder()
                .region("us-east-1")
                .endpoint("http://127.0.0.1:1")
                .staticCredentials("bench", "bench")
                .deadLetterDirectory(deadLetters.toString())
                .build()
                .config();
        try (KeyedOneInputStreamOperatorTestHarness<String, CloudWatchEvent, CloudWatchLogsCommittable> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        CloudWatchLogsWriterOperator.Factory.ofEvents(config),
                        CloudWatchLogsSink.streamKeySelector(),
                        Types.STRING,
                        128,
                        1,
                        0)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            CloudWatchLogsWriterOperator operator = (CloudWatchLogsWriterOperator) h.getOneInputOperator();
            ThrowingConsumer<StreamRecord<CloudWatchEvent>, Exception> keyed = r -> {
                operator.setKeyContextElement1(r);
                operator.processElement(r);
            };
            ThrowingConsumer<StreamRecord<CloudWatchEvent>, Exception> direct =
                    RecordProcessorUtils.getRecordProcessor(operator);
            Rounds[] ns = {new Rounds(), new Rounds()};
            Rounds[] bytes = {new Rounds(), new Rounds()};
            double[] roundNs = new double[2];
            double[] roundBytes = new double[2];
            long checkpoint = 0;
            for (int r = 0; r < rounds; r++) {
                for (int which : Alternation.rotated(r, 2)) {
                    ThrowingConsumer<StreamRecord<CloudWatchEvent>, Exception> processor = which == 0 ? keyed : direct;
                    ThreadCost start = ThreadCost.now();
                    for (int pass = 0; pass < 5; pass++) {
                        for (CloudWatchEvent e : events) {
                            processor.accept(new StreamRecord<>(e, e.timestamp));
                        }
                        h.prepareSnapshotPreBarrier(++checkpoint);
                        h.getOutput().clear();
                    }
                    ThreadCost spent = start.elapsed();
                    roundNs[which] = spent.cpuNanosPer(5.0 * events.size());
                    roundBytes[which] = spent.allocatedBytesPer(5.0 * events.size());
                    ns[which].add(roundNs[which]);
                    bytes[which].add(roundBytes[which]);
                }
                System.out.printf(
                        "round %d: keyed %.0f ns %.0f B, direct %.0f ns %.0f B per event%n",
                        r + 1, roundNs[0], roundBytes[0], roundNs[1], roundBytes[1]);
            }
            int from = rounds / 4; // the first quarter warms the JIT up
            Rounds keyedNs = ns[0].after(from);
            Rounds directNs = ns[1].after(from);
            System.out.printf(
                    "%d events a pass (%d targets); rounds %d-%d: keyed best %.0f median %.0f ns, %.0f B; "
                            + "direct best %.0f median %.0f ns, %.0f B per event%n",
                    events.size(),
                    targets,
                    from + 1,
                    rounds,
                    keyedNs.best(),
                    keyedNs.median(),
                    bytes[0].after(from).median(),
                    directNs.best(),
                    directNs.median(),
                    bytes[1].after(from).median());
        }
    }

    /** One scrape of each target as the EMF stage makes it, stamped now, each as the writer's input reads it. */
    private static List<CloudWatchEvent> events(int targets) throws Exception {
        EmfEventBuilder builder = EmfEventBuilder.builder("bench-cluster").build();
        CloudWatchEventSerializer serializer = CloudWatchEventSerializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(4096);
        DataInputDeserializer in = new DataInputDeserializer();
        long now = System.currentTimeMillis();
        List<CloudWatchEvent> events = new ArrayList<>();
        for (SeriesGroup g : DeltaStateBench.groups(targets)) {
            SeriesGroup stamped = new SeriesGroup(g.logStream, g.labels, g.type, now, g.names, g.values, g.upperBounds);
            builder.build(stamped, e -> {
                try {
                    out.clear();
                    serializer.serialize(e, out);
                    in.setBuffer(out.getSharedBuffer(), 0, out.length());
                    events.add(serializer.deserialize(in));
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        }
        return events;
    }
}
