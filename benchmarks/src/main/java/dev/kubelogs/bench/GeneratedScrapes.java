package dev.kubelogs.bench;

import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Scrapes of {@link ExporterText} exporters for the metrics loops that run a job in a MiniCluster of their own JVM:
 * each target's groups of one scrape ({@link DeltaStateBench#groups}) are kept here, and {@link Scrape} makes a
 * target's n-th scrape from them (one second apart, every value raised by n, so counters rise).
 */
final class GeneratedScrapes {
    private static final long T0 = 1_700_000_000_000L;
    /** Each target's groups of one scrape; the jobs run in this JVM and read it from here. */
    private static volatile List<List<SeriesGroup>> byTarget = List.of();

    private GeneratedScrapes() {}

    /** Makes the scrapes of {@code targets} exporters; returns the samples in one scrape of them all. */
    static long generate(int targets) throws Exception {
        Map<String, List<SeriesGroup>> byInstance = new LinkedHashMap<>();
        long samplesPerScrape = 0;
        for (SeriesGroup g : DeltaStateBench.groups(targets)) {
            byInstance
                    .computeIfAbsent(g.labels.get("instance"), k -> new ArrayList<>())
                    .add(g);
            samplesPerScrape += g.size();
        }
        byTarget = List.copyOf(byInstance.values());
        return samplesPerScrape;
    }

    static int targets() {
        return byTarget.size();
    }

    /** One scrape of a target, as its groups. */
    static List<SeriesGroup> firstScrape(int target) {
        return byTarget.get(target);
    }

    /** Sequence number i is scrape {@code i % scrapes} of target {@code i / scrapes}: a reader reads its targets' in order. */
    static final class Scrape implements MapFunction<Long, SeriesBatch> {
        private static final long serialVersionUID = 1L;
        private final int scrapes;

        Scrape(int scrapes) {
            this.scrapes = scrapes;
        }

        @Override
        public SeriesBatch map(Long i) {
            int scrape = (int) (i % scrapes);
            List<SeriesGroup> template = byTarget.get((int) (i / scrapes));
            List<SeriesGroup> groups = new ArrayList<>(template.size());
            for (SeriesGroup g : template) {
                double[] values = Arrays.copyOf(g.values, g.values.length);
                for (int k = 0; k < values.length; k++) {
                    values[k] += scrape;
                }
                groups.add(new SeriesGroup(
                        g.logStream, g.labels, g.type, T0 + 1_000L * scrape, g.names, values, g.upperBounds));
            }
            return SeriesBatch.unrouted(groups);
        }
    }
}
