package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.bench.ExporterText;
import dev.kubelogs.bench.loop.Alternation;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.bench.loop.ThreadCost;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.ExpositionFormat;
import dev.kubelogs.job.metrics.parse.ExpositionParser;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import dev.kubelogs.job.metrics.target.TargetBuilder;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a scrape thread does with a body that repeats the target's last one (issue 14), without HTTP: {@code targets}
 * {@link ExporterText} targets in turn, each with its own scrape cache and metadata, on this thread alone. The arms,
 * alternated in blocks of rounds in one JVM:
 *
 * <ul>
 *   <li>{@code values}: the processor as the scraper calls it: a repeat of the template its layout was made from is
 *       matched by families and types and applied by its values;
 *   <li>{@code samples}: the same body through the parser's list of samples ({@link ExpositionParser#parse} with the
 *       template, a {@link Sample} per sample), matched sample by sample and applied from the list, as the processor
 *       did before; a scrape that does not match goes through the processor.
 * </ul>
 *
 * Prints this thread's CPU per scrape and per sample, and its bytes allocated per scrape, for each arm.
 *
 * <p>{@code java -cp … dev.kubelogs.job.metrics.scrape.RepeatLoop [targets] [rounds] [warmup-rounds] [block]}.
 */
public final class RepeatLoop {
    private RepeatLoop() {}

    /** Bodies rendered per target, used in turn (values change from one to the next). */
    private static final int BODIES = 4;

    private static final String TEXT = "text/plain; version=0.0.4";

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        int targets = arguments.integer(0, "targets", 100);
        int rounds = arguments.integer(1, "rounds", 200);
        int warmup = arguments.integer(2, "warm-up rounds", 50);
        int block = arguments.integer(3, "block", 10);
        ScrapeConfig job = BenchScrapeJob.config();
        TargetBuilder builder = new TargetBuilder(job);
        ScrapeProcessor processor = new ScrapeProcessor(job);
        ExpositionParser parser = new ExpositionParser();
        String[] arms = {"samples", "values"};
        Arm[] states = new Arm[arms.length];
        byte[][][] bodies = new byte[targets][BODIES][];
        for (int t = 0; t < targets; t++) {
            for (int b = 0; b < BODIES; b++) {
                bodies[t][b] = ExporterText.render(t, b);
            }
        }
        for (int a = 0; a < arms.length; a++) {
            states[a] = new Arm(targets, builder);
        }
        ThreadCost[] cost = new ThreadCost[arms.length];
        Arrays.fill(cost, ThreadCost.ZERO);
        long[] scrapes = new long[arms.length];
        long[] samples = new long[arms.length];
        for (Alternation.Turn turn : Alternation.inBlocks(arms.length, warmup, rounds, block)) {
            int a = turn.arm();
            ThreadCost start = ThreadCost.now();
            long s = 0;
            for (int r = 0; r < turn.rounds(); r++) {
                s += states[a].round(arms[a], processor, parser, bodies, turn.firstRound() + r);
            }
            if (turn.measured()) {
                cost[a] = cost[a].plus(start.elapsed());
                scrapes[a] += (long) turn.rounds() * targets;
                samples[a] += s;
            }
        }
        for (int a = 0; a < arms.length; a++) {
            System.out.printf(
                    Locale.ROOT,
                    "%-8s %d scrapes, %d samples: %8.1f us a scrape, %6.1f ns a sample, %7.1f KB a scrape;"
                            + " layout hits %d, misses %d%n",
                    arms[a],
                    scrapes[a],
                    samples[a],
                    cost[a].cpuNanos() / 1e3 / scrapes[a],
                    cost[a].cpuNanos() / (double) samples[a],
                    cost[a].allocatedBytes() / 1024.0 / scrapes[a],
                    states[a].hits,
                    states[a].misses);
        }
    }

    /** One arm's targets, each with its scrape cache and metadata. */
    private static final class Arm {
        final ScrapeTarget[] targets;
        final ScrapeCache[] caches;
        final TargetMetadata[] metadata;
        long hits;
        long misses;

        Arm(int n, TargetBuilder builder) {
            targets = new ScrapeTarget[n];
            caches = new ScrapeCache[n];
            metadata = new TargetMetadata[n];
            for (int t = 0; t < n; t++) {
                targets[t] = BenchScrapeJob.target(builder, t);
                caches[t] = new ScrapeCache();
                metadata[t] = new TargetMetadata();
            }
        }

        /** Scrapes every target once; returns the samples of the groups made. */
        long round(String arm, ScrapeProcessor processor, ExpositionParser parser, byte[][][] bodies, int round)
                throws Exception {
            long samples = 0;
            for (int t = 0; t < targets.length; t++) {
                byte[] body = bodies[t][round % BODIES];
                RawBody raw = new RawBody(body, body.length, TEXT);
                Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);
                long time = 1_700_000_000_000L + round * 2_000L;
                List<SeriesGroup> groups = null;
                ScrapeCache cache = caches[t];
                SeriesLayout last = cache.layout();
                if (arm.equals("samples") && last != null) {
                    List<Sample> parsed =
                            parser.parse(body, body.length, ExpositionFormat.TEXT_0_0_4, metadata[t], cache.body());
                    if (last.matches(processor, targets[t], parsed)) {
                        groups = last.apply(parsed, time, drops);
                    }
                }
                if (groups == null) {
                    groups = processor.process(raw, targets[t], metadata[t], time, drops, cache);
                }
                if (cache.layout() == last && last != null) {
                    hits++;
                } else {
                    misses++;
                }
                metadata[t].scrapeEnded(true);
                for (SeriesGroup g : groups) {
                    samples += g.size();
                }
            }
            return samples;
        }
    }
}
