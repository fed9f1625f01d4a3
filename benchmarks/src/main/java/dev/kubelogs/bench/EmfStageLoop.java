package dev.kubelogs.bench;

import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The EMF stage alone in one thread (issue 14): {@link EmfEventBuilder#build} over one scrape of
 * {@code targets} {@link ExporterText} exporters as the scrape source groups them (no metric declarations, so every
 * group is one event, as in {@link MetricsBench}); prints the thread's CPU per sample of each round and the best.
 * Run from the benchmarks classpath: {@code java -cp … dev.kubelogs.bench.EmfStageLoop [targets] [rounds]}; to
 * compare two versions of the job's classes, put the other version's classes first on the classpath and alternate.
 */
public final class EmfStageLoop {
    private EmfStageLoop() {}

    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<SeriesGroup> groups = DeltaStateBench.groups(targets);
        long samples = 0;
        for (SeriesGroup g : groups) {
            samples += g.size();
        }
        EmfEventBuilder builder = EmfEventBuilder.builder("bench-cluster").build();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long bytes = 0;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long[] size = new long[1];
            long start = mx.getCurrentThreadCpuTime();
            for (int pass = 0; pass < 5; pass++) {
                for (SeriesGroup g : groups) {
                    builder.build(g, e -> size[0] += e.message.length());
                }
            }
            double nsPerSample = (mx.getCurrentThreadCpuTime() - start) / (5.0 * samples);
            best = Math.min(best, nsPerSample);
            bytes = size[0] / 5;
            System.out.printf("round %d: %.1f ns per sample%n", r + 1, nsPerSample);
        }
        System.out.printf(
                "EMF stage: %d groups, %d samples, %d message chars per pass; best of %d rounds: %.1f ns per sample%n",
                groups.size(), samples, bytes, rounds, best);
    }
}
