package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The hand-written {@link EmfJsonWriter} against the Jackson-based writer it replaced ({@link JacksonEmfJsonWriter}),
 * byte for byte, on generated events: label names and values with quotes, backslashes, control characters, HTML
 * characters, non-ASCII, line/paragraph separators, surrogate pairs and unpaired surrogates; integral, fractional,
 * huge, tiny, subnormal and signed-zero numbers; histograms; directives with units; both formats.
 */
class EmfJsonWriterJacksonParityTest {
    private static final int EVENTS = 5_000;
    private static final char[] SPECIAL = {
        '"', '\\', '/', '<', '>', '&', '\b', '\t', '\n', '\f', '\r', 0, 1, 0x1b, 0x1f, 0x7f, 0x80, 0xe9, 0x7ff, 0x800,
        0x4e2d, 0x2028, 0x2029, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xfffe, 0xffff
    };
    private static final double[] NUMBERS = {
        0.0,
        -0.0,
        1,
        -1,
        0.5,
        0.1,
        1e-6,
        9.99e-7,
        1e-7,
        1.5e-7,
        1e20,
        1e21,
        1.5e21,
        123456789012345678e3,
        0x1p53,
        -0x1p53,
        0x1p53 - 1,
        0x1p63,
        Long.MAX_VALUE,
        Double.MIN_VALUE,
        Double.MIN_NORMAL,
        Double.MAX_VALUE,
        5e-324,
        2.5e-8,
        9e15,
        9.5,
        1.7976931348623157e308,
        4.35,
        0.3,
        2e-7,
        6e-7
    };

    private final SplittableRandom random = new SplittableRandom(14);

    @Test
    void generatedEventsAreWrittenByteForByteAsByJackson() {
        Map<String, String> units = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            units.put("m" + i, i % 2 == 0 ? "Count" : "Seconds");
        }
        units.put("\u00e9<unit>", "\"odd\" unit\u2028");
        for (EmfFormat format : EmfFormat.values()) {
            String namespace = "NS/" + text(8);
            EmfJsonWriter writer = new EmfJsonWriter(format, namespace, units);
            JacksonEmfJsonWriter reference = new JacksonEmfJsonWriter(format, namespace, units);
            for (int e = 0; e < EVENTS; e++) {
                EventLabels labels = labels();
                List<MetricField> fields = fields();
                List<Directive> directives = directives(labels, fields);
                long timestamp = random.nextInt(4) == 0 ? random.nextLong() : 1_700_000_000_000L + random.nextInt();
                writer.write(labels, fields, directives, timestamp);
                reference.write(labels, fields, directives, timestamp);
                assertThat(writer.message()).as("event %d of %s", e, format).isEqualTo(reference.message());
                assertThat(writer.size()).as("bytes of event %d", e).isEqualTo(reference.size());
            }
        }
    }

    @Test
    void nonFiniteNumbersAreRefusedByBoth() {
        EventLabels labels = EventLabels.of(Labels.of("job", "j"), "c", MetricType.GAUGE);
        for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            List<MetricField> fields = List.of(new MetricField("m", v, null, -1));
            assertThatThrownBy(() ->
                            new EmfJsonWriter(EmfFormat.AGENT_V0, "NS", Map.of()).write(labels, fields, List.of(), 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new JacksonEmfJsonWriter(EmfFormat.AGENT_V0, "NS", Map.of())
                            .write(labels, fields, List.of(), 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private EventLabels labels() {
        int n = random.nextInt(8);
        List<String> namesAndValues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            namesAndValues.add(random.nextInt(3) == 0 ? text(6) : identifier());
            namesAndValues.add(text(random.nextInt(4) == 0 ? 60 : 12));
        }
        if (random.nextBoolean()) {
            namesAndValues.add("job");
            namesAndValues.add(text(10));
        }
        if (random.nextInt(8) == 0) {
            // colliding with the names the writer adds
            namesAndValues.add(random.nextBoolean() ? "Timestamp" : "Version");
            namesAndValues.add(text(4));
        }
        Labels labels = Labels.of(namesAndValues.toArray(new String[0]));
        MetricType[] types = MetricType.values();
        return EventLabels.of(labels, text(6), types[random.nextInt(types.length)]);
    }

    private List<MetricField> fields() {
        TreeMap<String, MetricField> byName = new TreeMap<>();
        int n = 1 + random.nextInt(random.nextInt(10) == 0 ? 120 : 6);
        for (int i = 0; i < n; i++) {
            String name =
                    random.nextInt(3) == 0 ? "m" + random.nextInt(25) : random.nextInt(5) == 0 ? text(5) : identifier();
            HistogramDistribution distribution = random.nextInt(6) == 0 ? distribution() : null;
            byName.put(name, new MetricField(name, number(), distribution, -1));
        }
        return new ArrayList<>(byName.values());
    }

    private HistogramDistribution distribution() {
        int n = 1 + random.nextInt(15);
        double[] les = new double[n];
        double[] cumulative = new double[n];
        double le = random.nextInt(3) == 0 ? -random.nextDouble() : 0;
        double count = 0;
        for (int i = 0; i < n; i++) {
            le += random.nextInt(4) == 0 ? random.nextDouble() * 1e-7 : random.nextDouble() * 1e4;
            les[i] = i == n - 1 && random.nextBoolean() ? Double.POSITIVE_INFINITY : le;
            count += random.nextInt(3);
            cumulative[i] = count;
        }
        double sum = random.nextInt(4) == 0 ? Double.NaN : count * random.nextDouble();
        HistogramDistribution.Result result = HistogramDistribution.of(les, cumulative, n, sum);
        return result.distribution();
    }

    private List<Directive> directives(EventLabels labels, List<MetricField> fields) {
        if (random.nextInt(3) == 0) {
            return List.of();
        }
        List<Directive> directives = new ArrayList<>();
        int used = 0;
        int count = 1 + random.nextInt(3);
        for (int d = 0; d < count && used < fields.size(); d++) {
            List<List<String>> sets = new ArrayList<>();
            for (int s = random.nextInt(3); s >= 0; s--) {
                List<String> set = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0 && labels.size() > 0; i--) {
                    set.add(labels.name(random.nextInt(labels.size())));
                }
                sets.add(set);
            }
            List<String> names = new ArrayList<>();
            int take = 1 + random.nextInt(fields.size() - used);
            for (int i = 0; i < take; i++) {
                names.add(fields.get(used++).name());
            }
            directives.add(new Directive(sets, names));
        }
        return directives;
    }

    private double number() {
        switch (random.nextInt(6)) {
            case 0:
                return NUMBERS[random.nextInt(NUMBERS.length)];
            case 1:
                return random.nextInt(1_000_000) - 1000;
            case 2:
                return random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
            case 3: {
                double v = Double.longBitsToDouble(random.nextLong());
                return Double.isFinite(v) ? v : 1.25;
            }
            case 4:
                return random.nextInt(1000) / 100.0;
            default:
                return -random.nextDouble() * 1e6;
        }
    }

    private String identifier() {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            b.append("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"
                    .charAt(random.nextInt(i == 0 ? 53 : 63)));
        }
        return b.toString();
    }

    /** 1..maxLength characters, a quarter of them special, some a surrogate pair. */
    private String text(int maxLength) {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(maxLength);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(12);
            if (kind < 6) {
                b.append((char) (0x20 + random.nextInt(0x5f)));
            } else if (kind < 9) {
                b.append(SPECIAL[random.nextInt(SPECIAL.length)]);
            } else if (kind == 9) {
                b.appendCodePoint(0x10000 + random.nextInt(0x100000));
            } else if (kind == 10) {
                b.append((char) random.nextInt(0x10000));
            } else {
                b.append((char) (0x80 + random.nextInt(0x780)));
            }
        }
        return b.toString();
    }
}
