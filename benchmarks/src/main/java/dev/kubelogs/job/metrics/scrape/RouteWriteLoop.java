package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.bench.ExporterText;
import dev.kubelogs.bench.loop.Alternation;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.bench.loop.ThreadCost;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.delta.DeltaRouter;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesBatchSerializer;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import dev.kubelogs.job.metrics.target.TargetBuilder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.io.network.api.writer.RecordWriter;
import org.apache.flink.runtime.plugable.SerializationDelegate;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamElement;
import org.apache.flink.streaming.runtime.streamrecord.StreamElementSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * What the source task thread does with a scrape's groups after the scrape thread made them (issue 14): the
 * {@link DeltaRouter} (chained to the source, 4 delta subtasks of max parallelism 128, as the cluster bench runs) and
 * each routed batch serialized as the record writer serializes it. {@code targets} {@link ExporterText} targets, each
 * with its own scrape cache, so every scrape after the first is made from the target's layout. Each round scrapes every
 * target once (the scrape thread's work, not billed), then runs both arms over the same groups, alternating which goes
 * first:
 *
 * <ul>
 *   <li>{@code plain}: the groups as a list of their own ({@code List.copyOf}, as the scrape's outcome held them
 *       before), so the router splits them group by group and the serializer encodes every group's strings;
 *   <li>{@code blocks}: the layout's list as the outcome now keeps it, so the router takes the split and each batch's
 *       constant block kept with the layout, and the serializer writes the block as it is.
 * </ul>
 *
 * Prints this thread's CPU and allocation per sample for each arm, per block of rounds and overall.
 *
 * <p>{@code java -cp … dev.kubelogs.job.metrics.scrape.RouteWriteLoop [targets] [rounds] [warmup-rounds]}.
 */
public final class RouteWriteLoop {
    private static final String TEXT = "text/plain; version=0.0.4";
    private static final int BODIES = 4;
    private static final int BLOCK = 10;

    private RouteWriteLoop() {}

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        int targets = arguments.integer(0, "targets", 100);
        int rounds = arguments.integer(1, "rounds", 200);
        int warmup = arguments.integer(2, "warm-up rounds", 50);
        ScrapeConfig job = BenchScrapeJob.config();
        TargetBuilder builder = new TargetBuilder(job);
        ScrapeProcessor processor = new ScrapeProcessor(job);
        ScrapeTarget[] scrapeTargets = new ScrapeTarget[targets];
        ScrapeCache[] caches = new ScrapeCache[targets];
        TargetMetadata[] metadata = new TargetMetadata[targets];
        byte[][][] bodies = new byte[targets][BODIES][];
        for (int t = 0; t < targets; t++) {
            scrapeTargets[t] = BenchScrapeJob.target(builder, t);
            caches[t] = new ScrapeCache();
            metadata[t] = new TargetMetadata();
            for (int b = 0; b < BODIES; b++) {
                bodies[t][b] = ExporterText.render(t, b);
            }
        }
        String[] arms = {"plain", "blocks"};
        Router[] routers = {new Router(), new Router()};
        ThreadCost[] cost = {ThreadCost.ZERO, ThreadCost.ZERO};
        ThreadCost[] blockCost = {ThreadCost.ZERO, ThreadCost.ZERO};
        long samples = 0;
        long blockSamples = 0;
        long check = 0;
        for (int round = 0; round < warmup + rounds; round++) {
            List<List<SeriesGroup>> scrapes = new ArrayList<>(targets);
            long roundSamples = 0;
            for (int t = 0; t < targets; t++) {
                byte[] body = bodies[t][round % BODIES];
                List<SeriesGroup> groups = processor.process(
                        new RawBody(body, body.length, TEXT),
                        scrapeTargets[t],
                        metadata[t],
                        1_700_000_000_000L + round * 2_000L,
                        new EnumMap<>(SampleDropReason.class),
                        caches[t]);
                metadata[t].scrapeEnded(true);
                scrapes.add(groups);
                for (SeriesGroup g : groups) {
                    roundSamples += g.size();
                }
            }
            for (int arm : Alternation.rotated(round, 2)) {
                ThreadCost start = ThreadCost.now();
                for (List<SeriesGroup> groups : scrapes) {
                    List<SeriesGroup> sent = arm == 0 ? List.copyOf(groups) : groups;
                    check += routers[arm].routeAndWrite(SeriesBatch.unrouted(sent));
                }
                if (round >= warmup) {
                    ThreadCost spent = start.elapsed();
                    cost[arm] = cost[arm].plus(spent);
                    blockCost[arm] = blockCost[arm].plus(spent);
                }
            }
            if (round >= warmup) {
                samples += roundSamples;
                blockSamples += roundSamples;
                if ((round - warmup + 1) % BLOCK == 0) {
                    System.out.printf(
                            Locale.ROOT,
                            "rounds to %d: plain %.1f ns %.1f B, blocks %.1f ns %.1f B a sample%n",
                            round - warmup + 1,
                            blockCost[0].cpuNanosPer(blockSamples),
                            blockCost[0].allocatedBytesPer(blockSamples),
                            blockCost[1].cpuNanosPer(blockSamples),
                            blockCost[1].allocatedBytesPer(blockSamples));
                    blockCost = new ThreadCost[] {ThreadCost.ZERO, ThreadCost.ZERO};
                    blockSamples = 0;
                }
            }
        }
        for (int arm = 0; arm < 2; arm++) {
            System.out.printf(
                    Locale.ROOT,
                    "%-6s %d samples over %d rounds of %d targets: %.1f ns, %.1f bytes allocated a sample (check %d)%n",
                    arms[arm],
                    samples,
                    rounds,
                    targets,
                    cost[arm].cpuNanosPer(samples),
                    cost[arm].allocatedBytesPer(samples),
                    check);
        }
        for (Router r : routers) {
            r.harness.close();
        }
    }

    /** The router in an operator harness, and the record writer's serialization of what it emits. */
    private static final class Router {
        final OneInputStreamOperatorTestHarness<SeriesBatch, SeriesBatch> harness;
        final StreamElementSerializer<SeriesBatch> serializer =
                new StreamElementSerializer<>(SeriesBatchSerializer.INSTANCE);
        final DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        final SerializationDelegate<StreamElement> delegate = new SerializationDelegate<>(serializer);

        Router() throws Exception {
            harness = new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(new DeltaRouter()), 128, 4, 0);
            harness.open();
        }

        /** Routes one scrape and serializes its batches; returns the bytes written. */
        long routeAndWrite(SeriesBatch scrape) throws Exception {
            harness.processElement(scrape, 1L);
            long written = 0;
            for (Object o : harness.getOutput()) {
                delegate.setInstance((StreamRecord<?>) o);
                written += RecordWriter.serializeRecord(out, delegate).remaining();
            }
            harness.getOutput().clear();
            return written;
        }
    }
}
