package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import dev.kubelogs.job.metrics.target.TargetBuilder;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The processor with a target's scrape cache against the processor without one, scrape after scrape of generated
 * expositions whose series repeat, change label values, appear, vanish and repeat within a scrape, under the job
 * settings that change what a series becomes: the results, the drops and the failures must be the same.
 */
class ScrapeCacheTest {
    private static final String TEXT = "text/plain; version=0.0.4";
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";
    private static final int SCRAPES = 60;

    /** What the cached and the uncached runs gave. */
    private record Run(int hits, int misses, int failures, int bodyRepeats) {}

    @Test
    void sameResultsWithoutRules() throws Exception {
        Run run = compare(ScrapeConfigs.job("plain").build(), 1L, TEXT);
        assertThat(run.hits).isGreaterThan(SCRAPES / 4);
        assertThat(run.misses).isGreaterThan(SCRAPES / 8);
        assertThat(run.bodyRepeats).isGreaterThan(SCRAPES / 4);
    }

    @Test
    void aUrlNamingItsHostIsParsedOnceAndAgainWhenItChanges() throws Exception {
        ScrapeCache cache = new ScrapeCache();
        AtomicInteger lookUps = new AtomicInteger();
        HostResolver resolver = host -> {
            lookUps.incrementAndGet();
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        };

        List<RequestAddress> first = cache.addresses("http://10.0.0.1:9100/metrics", resolver);
        List<RequestAddress> again = cache.addresses("http://10.0.0.1:9100/metrics", resolver);
        List<RequestAddress> moved = cache.addresses("http://10.0.0.2:9100/metrics", resolver);

        assertThat(again).isSameAs(first);
        assertThat(first).isEqualTo(RequestAddress.of("http://10.0.0.1:9100/metrics", resolver));
        assertThat(moved).extracting(a -> a.uri().getHost()).containsExactly("10.0.0.2");
        assertThat(cache.addresses("http://10.0.0.2:9100/metrics", resolver)).isSameAs(moved);
        assertThat(lookUps).hasValue(0);
    }

    @Test
    void aHostThatNeedsALookUpIsLookedUpAtEveryScrape() throws Exception {
        ScrapeCache cache = new ScrapeCache();
        AtomicInteger lookUps = new AtomicInteger();
        HostResolver resolver = host ->
                new InetAddress[] {InetAddress.getByName(lookUps.incrementAndGet() == 1 ? "10.0.0.1" : "10.0.0.2")};

        List<RequestAddress> first = cache.addresses("http://my_exporter:9100/metrics", resolver);
        List<RequestAddress> second = cache.addresses("http://my_exporter:9100/metrics", resolver);

        assertThat(lookUps).hasValue(2);
        assertThat(first).extracting(a -> a.uri().getHost()).containsExactly("10.0.0.1");
        assertThat(second).extracting(a -> a.uri().getHost()).containsExactly("10.0.0.2");
        assertThat(second).extracting(RequestAddress::tlsName).containsExactly("my_exporter");
    }

    @Test
    void anInvalidUrlFailsAtEveryScrapeAndLeavesTheKeptAddress() throws Exception {
        ScrapeCache cache = new ScrapeCache();
        HostResolver resolver = HostResolver.SYSTEM;
        List<RequestAddress> kept = cache.addresses("http://10.0.0.1:9100/metrics", resolver);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.addresses("http://10.0.0.1:9100/me trics", resolver))
                    .isInstanceOf(ScrapeFailure.class)
                    .hasMessageContaining("invalid target URL");
        }
        List<RequestAddress> back = cache.addresses("http://10.0.0.1:9100/metrics", resolver);
        assertThat(back).isSameAs(kept);
    }

    @Test
    void sameResultsWithHonorLabels() throws Exception {
        Run run = compare(ScrapeConfigs.job("honor").honorLabels(true).build(), 2L, TEXT);
        assertThat(run.hits).isGreaterThan(SCRAPES / 4);
    }

    @Test
    void sameResultsWithMetricRelabeling() throws Exception {
        ScrapeConfig job = ScrapeConfigs.job("rules")
                .metricRelabelConfigs(
                        rule(List.of("__name__"), "misc.*", "", "", RelabelAction.DROP),
                        rule(List.of("path"), "/api/(.*)", "route", "r-$1", RelabelAction.REPLACE),
                        rule(List.of(), "sen(.*)", "", "probe_$1", RelabelAction.LABELMAP),
                        // the saved name of one metric changes: it is typed by another name's type
                        rule(
                                List.of("__name__"),
                                "temp",
                                "cwagent_saved_scrape_name",
                                "req_total",
                                RelabelAction.REPLACE))
                .build();
        Run run = compare(job, 3L, TEXT);
        assertThat(run.hits + run.misses).isEqualTo(SCRAPES - run.failures);
    }

    @Test
    void sameResultsWithoutTheSavedNameRule() throws Exception {
        ScrapeConfig job = ScrapeConfigs.job("rules2")
                .metricRelabelConfigs(rule(List.of("code"), "5..", "", "", RelabelAction.DROP))
                .build();
        Run run = compare(job, 4L, TEXT);
        assertThat(run.hits).isGreaterThan(SCRAPES / 4);
    }

    @Test
    void sameFailuresWithSampleLimit() throws Exception {
        Run run = compare(ScrapeConfigs.job("limit").sampleLimit(20).build(), 5L, TEXT, 5 * SCRAPES);
        assertThat(run.failures).isPositive();
        assertThat(run.failures).isLessThan(5 * SCRAPES);
    }

    /** The target's labels, the saved ones, the name and two own: nine; an exposed job label makes it ten. */
    @Test
    void sameFailuresWithLabelLimits() throws Exception {
        Run run = compare(
                ScrapeConfigs.job("labels")
                        .options(new ScrapeOptions(0, 9, 0, 0, 0, true))
                        .build(),
                6L,
                TEXT,
                5 * SCRAPES);
        assertThat(run.failures).isPositive();
        assertThat(run.hits).isPositive();
    }

    @Test
    void sameResultsWithHonoredTimestamps() throws Exception {
        compare(ScrapeConfigs.job("times").honorTimestamps(true).build(), 7L, TEXT);
        Run ignored = compare(ScrapeConfigs.job("times").honorTimestamps(false).build(), 7L, TEXT);
        assertThat(ignored.hits).isGreaterThan(SCRAPES / 4);
    }

    @Test
    void sameResultsForOpenMetrics() throws Exception {
        Run run = compare(ScrapeConfigs.job("om").build(), 8L, OPENMETRICS);
        assertThat(run.hits).isGreaterThan(SCRAPES / 4);
        assertThat(run.bodyRepeats).isGreaterThan(SCRAPES / 4);
    }

    @Test
    void aRediscoveredTargetWithOtherLabelsIsNotServedTheOldLayout() throws Exception {
        ScrapeConfig job = ScrapeConfigs.job("moved").build();
        ScrapeProcessor processor = new ScrapeProcessor(job);
        ScrapeCache cache = new ScrapeCache();
        byte[] body = "# TYPE g gauge\ng{a=\"1\"} 1\n".getBytes(StandardCharsets.UTF_8);
        RawBody raw = new RawBody(body, body.length, TEXT);
        ScrapeTarget before = new TargetBuilder(job).build(Labels.of("__address__", "10.0.0.1:80", "pod", "a"));
        ScrapeTarget after = new TargetBuilder(job).build(Labels.of("__address__", "10.0.0.1:80", "pod", "b"));
        Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);

        processor.process(raw, before, new TargetMetadata(), 1L, drops, cache);
        List<SeriesGroup> moved = processor.process(raw, after, new TargetMetadata(), 2L, drops, cache);

        assertThat(moved)
                .singleElement()
                .satisfies(g -> assertThat(g.labels.get("pod")).isEqualTo("b"));
        assertThat(moved).isEqualTo(processor.process(raw, after, new TargetMetadata(), 2L, drops));
    }

    @Test
    void aRepeatedBodyWhoseTypeAgedOutIsNotServedTheOldLayout() throws Exception {
        ScrapeConfig job = ScrapeConfigs.job("aged").build();
        ScrapeProcessor processor = new ScrapeProcessor(job);
        ScrapeCache cache = new ScrapeCache();
        ScrapeTarget target = new TargetBuilder(job).build(Labels.of("__address__", "10.0.0.1:80"));
        TargetMetadata cachedMetadata = new TargetMetadata();
        TargetMetadata uncachedMetadata = new TargetMetadata();
        // the first body types x; the next ones repeat a body without metadata lines, typed by what the first named
        // until that ages out of the target's metadata, when x's samples become untyped and are dropped
        byte[] typed = "# TYPE x counter\nx_total 1\n".getBytes(StandardCharsets.UTF_8);
        List<Integer> groupCounts = new ArrayList<>();
        int fastHits = 0;
        for (int scrape = 0; scrape < 16; scrape++) {
            byte[] body = scrape == 0 ? typed : ("x_total " + scrape + "\n").getBytes(StandardCharsets.UTF_8);
            RawBody raw = new RawBody(body, body.length, TEXT);
            Map<SampleDropReason, Integer> cachedDrops = new EnumMap<>(SampleDropReason.class);
            Map<SampleDropReason, Integer> uncachedDrops = new EnumMap<>(SampleDropReason.class);
            SeriesLayout before = cache.layout();

            List<SeriesGroup> actual = processor.process(raw, target, cachedMetadata, scrape, cachedDrops, cache);
            List<SeriesGroup> expected = processor.process(raw, target, uncachedMetadata, scrape, uncachedDrops);

            assertThat(actual).as("scrape " + scrape).isEqualTo(expected);
            assertThat(cachedDrops).as("scrape " + scrape).isEqualTo(uncachedDrops);
            if (before != null && cache.layout() == before && cache.body().lastRepeated()) {
                fastHits++;
            }
            groupCounts.add(actual.size());
            cachedMetadata.scrapeEnded(true);
            uncachedMetadata.scrapeEnded(true);
        }
        assertThat(groupCounts.get(1)).as("typed by the first body").isOne();
        assertThat(groupCounts.get(15)).as("untyped once that aged out").isZero();
        assertThat(fastHits)
                .as("repeats served by the layout while the type held")
                .isGreaterThan(5);
    }

    @Test
    void aFailedParseDropsTheLayout() throws Exception {
        ScrapeConfig job = ScrapeConfigs.job("bad").build();
        ScrapeProcessor processor = new ScrapeProcessor(job);
        ScrapeCache cache = new ScrapeCache();
        ScrapeTarget target = new TargetBuilder(job).build(Labels.of("__address__", "10.0.0.1:80"));
        byte[] good = "# TYPE g gauge\ng 1\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "g{ 1\n".getBytes(StandardCharsets.UTF_8);
        Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);

        processor.process(new RawBody(good, good.length, TEXT), target, new TargetMetadata(), 1L, drops, cache);
        assertThat(cache.layout()).isNotNull();
        try {
            processor.process(new RawBody(bad, bad.length, TEXT), target, new TargetMetadata(), 2L, drops, cache);
        } catch (ScrapeFailure expected) {
            assertThat(expected.reason()).isEqualTo(ScrapeReason.PARSE_ERROR);
        }
        assertThat(cache.layout()).isNull();
    }

    private static RelabelConfig rule(
            List<String> sources, String regex, String target, String replacement, RelabelAction action) {
        return new RelabelConfig(sources, ";", regex, 0, target, replacement, action);
    }

    /** Scrapes a generated exposition {@link #SCRAPES} times with and without the cache and compares each result. */
    private static Run compare(ScrapeConfig job, long seed, String contentType) throws Exception {
        return compare(job, seed, contentType, SCRAPES);
    }

    private static Run compare(ScrapeConfig job, long seed, String contentType, int scrapes) throws Exception {
        ScrapeProcessor processor = new ScrapeProcessor(job);
        ScrapeTarget target = new TargetBuilder(job).build(Labels.of("__address__", "10.0.0.1:8080", "team", "a"));
        TargetMetadata uncachedMetadata = new TargetMetadata();
        TargetMetadata cachedMetadata = new TargetMetadata();
        ScrapeCache cache = new ScrapeCache();
        Exposition exposition = new Exposition(new Random(seed), contentType.equals(OPENMETRICS));
        int hits = 0;
        int misses = 0;
        int failures = 0;
        int bodyRepeats = 0;
        for (int scrape = 0; scrape < scrapes; scrape++) {
            byte[] body = exposition.next().getBytes(StandardCharsets.UTF_8);
            RawBody raw = new RawBody(body, body.length, contentType);
            long time = 1_700_000_000_000L + scrape * 15_000L;
            Map<SampleDropReason, Integer> uncachedDrops = new EnumMap<>(SampleDropReason.class);
            Map<SampleDropReason, Integer> cachedDrops = new EnumMap<>(SampleDropReason.class);
            List<SeriesGroup> expected = null;
            ScrapeFailure expectedFailure = null;
            try {
                expected = processor.process(raw, target, uncachedMetadata, time, uncachedDrops);
            } catch (ScrapeFailure f) {
                expectedFailure = f;
            }
            SeriesLayout before = cache.layout();
            List<SeriesGroup> actual = null;
            ScrapeFailure actualFailure = null;
            try {
                actual = processor.process(raw, target, cachedMetadata, time, cachedDrops, cache);
            } catch (ScrapeFailure f) {
                actualFailure = f;
            }
            String at = "scrape " + scrape + " of\n" + exposition.last;
            if (expectedFailure != null) {
                assertThat(actualFailure).as(at).isNotNull();
                assertThat(actualFailure.reason()).as(at).isEqualTo(expectedFailure.reason());
                assertThat(actualFailure.getMessage()).as(at).isEqualTo(expectedFailure.getMessage());
                failures++;
            } else {
                assertThat(actualFailure).as(at).isNull();
                assertThat(actual).as(at).isEqualTo(expected);
                assertThat(cachedDrops).as(at).isEqualTo(uncachedDrops);
                if (cache.body().lastRepeated()) {
                    bodyRepeats++;
                }
                if (before != null && cache.layout() == before) {
                    hits++;
                } else {
                    misses++;
                }
            }
            uncachedMetadata.scrapeEnded(expectedFailure == null);
            cachedMetadata.scrapeEnded(actualFailure == null);
        }
        return new Run(hits, misses, failures, bodyRepeats);
    }

    /**
     * A target's exposition, scrape after scrape: the same series with new values most of the time; now and then a
     * label value changes, a series appears or vanishes, a series is repeated, or a sample carries a timestamp.
     */
    private static final class Exposition {
        private final Random random;
        private final boolean openMetrics;
        private final List<String> paths = new ArrayList<>(List.of("/api/a", "/api/b", "/healthz"));
        private final List<String> sensors = new ArrayList<>(List.of("s1", "s2"));
        private boolean duplicate;
        private boolean stamped;
        private boolean exposedJob;
        private boolean emptyLabel;
        String last;

        Exposition(Random random, boolean openMetrics) {
            this.random = random;
            this.openMetrics = openMetrics;
        }

        String next() {
            if (random.nextInt(5) == 0) {
                change();
            }
            StringBuilder b = new StringBuilder();
            b.append("# TYPE req counter\n");
            for (String path : paths) {
                for (String code : List.of("200", "503")) {
                    b.append("req_total{path=\"")
                            .append(path)
                            .append("\",code=\"")
                            .append(code)
                            .append('"');
                    if (exposedJob) {
                        b.append(",job=\"exposed\"");
                    }
                    b.append("} ").append(value()).append(stamp()).append('\n');
                }
            }
            b.append("# TYPE temp gauge\n");
            for (String sensor : sensors) {
                String labels = "{sensor=\"" + sensor + "\"" + (emptyLabel ? ",team=\"\"" : "") + "}";
                b.append("temp").append(labels).append(' ').append(value()).append('\n');
                if (duplicate && sensor.equals(sensors.get(0))) {
                    b.append("temp").append(labels).append(' ').append(value()).append('\n');
                }
            }
            b.append("# TYPE lat histogram\n");
            for (String le : List.of("0.1", "1", "+Inf")) {
                b.append("lat_bucket{le=\"")
                        .append(le)
                        .append("\"} ")
                        .append(count())
                        .append('\n');
            }
            b.append("lat_sum ")
                    .append(count())
                    .append("\nlat_count ")
                    .append(count())
                    .append('\n');
            if (duplicate) {
                b.append("lat_count ").append(count()).append('\n');
            }
            b.append("# TYPE rpc summary\n");
            b.append("rpc{quantile=\"0.5\"} ").append(value()).append('\n');
            b.append("rpc{quantile=\"0.99\"} ").append(value()).append('\n');
            b.append("rpc_sum ")
                    .append(count())
                    .append("\nrpc_count ")
                    .append(count())
                    .append('\n');
            if (!openMetrics) {
                b.append("misc_thing ").append(value()).append('\n');
            } else {
                b.append("# EOF\n");
            }
            last = b.toString();
            return last;
        }

        private void change() {
            switch (random.nextInt(7)) {
                case 0 -> paths.add("/api/n" + random.nextInt(5));
                case 1 -> {
                    if (paths.size() > 1) {
                        paths.remove(random.nextInt(paths.size()));
                    }
                }
                case 2 -> sensors.set(random.nextInt(sensors.size()), "s" + random.nextInt(9));
                case 3 -> duplicate = !duplicate;
                case 4 -> stamped = !stamped && !openMetrics;
                case 5 -> exposedJob = !exposedJob;
                default -> emptyLabel = !emptyLabel;
            }
        }

        private String value() {
            return switch (random.nextInt(12)) {
                case 0 -> "NaN";
                case 1 -> "+Inf";
                case 2 -> "-Inf";
                default -> Double.toString(random.nextInt(1000) / 8.0);
            };
        }

        private String count() {
            return Integer.toString(random.nextInt(100_000));
        }

        private String stamp() {
            return stamped ? " " + (1_700_000_000_000L + random.nextInt(1_000_000)) : "";
        }
    }
}
