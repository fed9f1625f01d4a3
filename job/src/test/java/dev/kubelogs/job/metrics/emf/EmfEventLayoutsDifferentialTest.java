package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.MetricDeclaration;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The EMF stage with event layouts ({@link EmfEventBuilder.Builder#reuseLayouts}, the default) against the same
 * stage writing every event in full, byte for byte, over generated series groups scraped again and again (new
 * values and timestamps, the same shapes, so most events are written from a layout): labels with JSON escapes,
 * HTML characters, non-ASCII, surrogate pairs and unpaired surrogates; NaN and infinite values that drop a field
 * in some scrapes; histograms; groups of more than 100 declared metrics, which are split; declarations that match
 * and do not; both formats; undeclared metrics kept and left out; an event size limit that halves events; label
 * strings that are the same instances from scrape to scrape and equal copies.
 */
class EmfEventLayoutsDifferentialTest {
    private static final int SERIES = 300;
    private static final int SCRAPES = 12;
    private static final char[] SPECIAL = {
        '"', '\\', '/', '<', '>', '&', '\b', '\t', '\n', '\r', 0, 0x1f, 0x7f, 0xe9, 0x4e2d, 0x2028, 0x2029, 0xd800,
        0xdfff, 0xfffd
    };

    private final SplittableRandom random = new SplittableRandom(2026_12_05);

    private static final List<MetricDeclaration> DECLARATIONS = List.of(
            new MetricDeclaration(
                    List.of("job"), null, "^decl", List.of("^m[0-9]$", "^h_"), List.of(List.of("job", "ClusterName"))),
            new MetricDeclaration(
                    List.of("job", "tier"),
                    ";",
                    "^decl.*;(gold|\u00e9)",
                    List.of("^m1[0-9]?$", "^x"),
                    List.of(List.of("tier"), List.of("job", "tier"))),
            new MetricDeclaration(List.of("job"), null, "^many$", List.of("^x"), List.of(List.of("job"))));

    @Test
    void eventsFromLayoutsAreTheEventsWrittenInFull() {
        for (EmfFormat format : EmfFormat.values()) {
            for (boolean emitUndeclared : new boolean[] {true, false}) {
                for (int maxEventBytes : new int[] {EmfEventBuilder.DEFAULT_MAX_EVENT_BYTES, 2048}) {
                    compare(format, emitUndeclared, maxEventBytes);
                }
            }
        }
    }

    private void compare(EmfFormat format, boolean emitUndeclared, int maxEventBytes) {
        EmfCounters layoutCounters = new EmfCounters();
        EmfCounters fullCounters = new EmfCounters();
        EmfEventBuilder withLayouts = settings(format, emitUndeclared, maxEventBytes).build(layoutCounters);
        EmfEventBuilder inFull =
                settings(format, emitUndeclared, maxEventBytes).reuseLayouts(false).build(fullCounters);
        List<SeriesGroup> series = new ArrayList<>();
        for (int s = 0; s < SERIES; s++) {
            series.add(series(s));
        }
        int events = 0;
        for (int scrape = 0; scrape < SCRAPES; scrape++) {
            for (SeriesGroup template : series) {
                SeriesGroup group = scrape(template, scrape);
                List<CloudWatchEvent> expected = new ArrayList<>();
                List<CloudWatchEvent> actual = new ArrayList<>();
                inFull.build(group, expected::add);
                withLayouts.build(group, actual::add);
                assertThat(actual).hasSameSizeAs(expected);
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(actual.get(i).messageUtf8)
                            .as("%s, emitUndeclared %s, max %d: event %d of %s in scrape %d", format,
                                    emitUndeclared, maxEventBytes, i, group.labels, scrape)
                            .isEqualTo(expected.get(i).messageUtf8);
                    assertThat(actual.get(i).logStream).isEqualTo(expected.get(i).logStream);
                    assertThat(actual.get(i).timestamp).isEqualTo(expected.get(i).timestamp);
                }
                events += expected.size();
            }
        }
        assertThat(events).as("events written").isGreaterThan(SERIES * SCRAPES / 2);
        for (var counter : List.of(
                new Object[] {layoutCounters.events, fullCounters.events},
                new Object[] {layoutCounters.nonFiniteSkipped, fullCounters.nonFiniteSkipped},
                new Object[] {layoutCounters.splitForMetricLimit, fullCounters.splitForMetricLimit},
                new Object[] {layoutCounters.splitForSize, fullCounters.splitForSize},
                new Object[] {layoutCounters.undeclaredFieldsDropped, fullCounters.undeclaredFieldsDropped})) {
            assertThat(((org.apache.flink.metrics.Counter) counter[0]).getCount())
                    .isEqualTo(((org.apache.flink.metrics.Counter) counter[1]).getCount());
        }
        assertThat(fullCounters.nonFiniteSkipped.getCount()).as("fields dropped for NaN/Inf").isPositive();
        assertThat(fullCounters.splitForMetricLimit.getCount()).as("events split at 100 metrics").isPositive();
    }

    private static EmfEventBuilder.Builder settings(EmfFormat format, boolean emitUndeclared, int maxEventBytes) {
        return EmfEventBuilder.builder("cluster-\u00e9")
                .format(format)
                .declarations(DECLARATIONS)
                .metricUnits(Map.of("m1", "Count", "x_7", "Seconds"))
                .emitUndeclared(emitUndeclared)
                .maxEventBytes(maxEventBytes);
    }

    /** A series group's shape: its labels, type, names and (histograms) bounds; values are the scrape's. */
    private SeriesGroup series(int s) {
        List<String> namesAndValues = new ArrayList<>();
        String job = random.nextInt(5) == 0 ? "many" : random.nextBoolean() ? "decl-" + text(6) : text(8);
        namesAndValues.addAll(List.of("job", job));
        if (random.nextBoolean()) {
            namesAndValues.addAll(List.of("tier", random.nextBoolean() ? "gold" : "\u00e9"));
        }
        for (int i = random.nextInt(6); i > 0; i--) {
            namesAndValues.add(random.nextInt(3) == 0 ? text(5) : "l" + random.nextInt(20));
            namesAndValues.add(text(random.nextInt(5) == 0 ? 40 : 10));
        }
        if (random.nextInt(10) == 0) {
            namesAndValues.addAll(List.of(random.nextBoolean() ? "Timestamp" : "Version", text(3)));
        }
        if (random.nextInt(10) == 0) {
            namesAndValues.addAll(List.of("ClusterName", text(4)));
        }
        Labels labels = Labels.of(namesAndValues.toArray(new String[0]));
        if (random.nextInt(4) == 0) {
            return histogram(s, labels);
        }
        int n = job.equals("many") ? 90 + random.nextInt(150) : 1 + random.nextInt(12);
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(5);
            names[i] = job.equals("many")
                    ? "x_" + i
                    : kind == 0 ? "m" + random.nextInt(20) : kind == 1 ? text(6) : kind == 2 ? "x" + i : "u_" + i;
        }
        MetricType[] types = {MetricType.COUNTER, MetricType.GAUGE, MetricType.SUMMARY, MetricType.UNTYPED};
        return new SeriesGroup(
                "stream-" + s % 7, labels, types[random.nextInt(types.length)], 0, names, new double[n], null);
    }

    private SeriesGroup histogram(int s, Labels labels) {
        String family = random.nextBoolean() ? "h_latency" : "plain_" + s;
        int buckets = 1 + random.nextInt(12);
        List<String> names = new ArrayList<>();
        List<Double> bounds = new ArrayList<>();
        double le = 0;
        for (int b = 0; b < buckets; b++) {
            le += random.nextDouble() * 10;
            names.add(family + "_bucket");
            bounds.add(b == buckets - 1 ? Double.POSITIVE_INFINITY : le);
        }
        names.add(family + "_sum");
        bounds.add(Double.NaN);
        names.add(family + "_count");
        bounds.add(Double.NaN);
        double[] upper = bounds.stream().mapToDouble(Double::doubleValue).toArray();
        return new SeriesGroup(
                "stream-" + s % 7,
                labels,
                MetricType.HISTOGRAM,
                0,
                names.toArray(new String[0]),
                new double[names.size()],
                upper);
    }

    /**
     * The series' group of one scrape: new values (some NaN or infinite, some fractional, histogram buckets
     * cumulative) and timestamp; in odd scrapes the labels are equal copies rather than the same instances.
     */
    private SeriesGroup scrape(SeriesGroup template, int scrape) {
        int n = template.names.length;
        double[] values = new double[n];
        if (template.upperBounds != null) {
            double cumulative = 0;
            for (int i = 0; i < n - 2; i++) {
                cumulative += random.nextInt(3) == 0 ? 0 : random.nextInt(50);
                values[i] = cumulative;
            }
            values[n - 2] = random.nextInt(5) == 0 ? Double.NaN : cumulative * random.nextDouble() * 3;
            values[n - 1] = cumulative;
        } else {
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(20);
                values[i] = kind == 0
                        ? Double.NaN
                        : kind == 1
                                ? Double.POSITIVE_INFINITY
                                : kind < 8 ? random.nextInt(1_000_000) : random.nextDouble() * Math.pow(10, kind - 12);
            }
        }
        Labels labels = template.labels;
        if (scrape % 2 == 1) {
            String[] copies = new String[2 * labels.size()];
            for (int i = 0; i < labels.size(); i++) {
                copies[2 * i] = new String(labels.name(i));
                copies[2 * i + 1] = new String(labels.value(i));
            }
            labels = Labels.of(copies);
        }
        String[] names = scrape % 3 == 2
                ? Arrays.stream(template.names).map(String::new).toArray(String[]::new)
                : template.names;
        return new SeriesGroup(
                template.logStream,
                labels,
                template.type,
                1_700_000_000_000L + 60_000L * scrape + random.nextInt(1000),
                names,
                values,
                template.upperBounds);
    }

    private String text(int maxLength) {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(maxLength);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                b.append((char) ('a' + random.nextInt(26)));
            } else if (kind < 8) {
                b.append(SPECIAL[random.nextInt(SPECIAL.length)]);
            } else if (kind == 8) {
                b.appendCodePoint(0x10000 + random.nextInt(0x1000));
            } else {
                b.append((char) (0x80 + random.nextInt(0x780)));
            }
        }
        return b.toString();
    }
}
