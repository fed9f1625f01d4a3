package dev.kubelogs.job.metrics.parse;

import static dev.kubelogs.job.metrics.parse.ExpositionFormat.OPENMETRICS_1_0;
import static dev.kubelogs.job.metrics.parse.ExpositionFormat.TEXT_0_0_4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reading a target's bodies with its template against reading each in full, scrape after scrape of generated
 * expositions: values change every scrape (NaN, infinities, timestamps, exemplars, other spellings and lengths), and
 * now and then a label value changes, a series appears or vanishes in the middle, two lines swap, a comment, help text
 * or type changes, the metadata lines go away for longer than the target's metadata keeps them, or the body is broken
 * (truncated, a bad value, garbage, a blank where none belongs, no {@code # EOF}). The samples, the error and the
 * target's metadata must be the same after every body.
 */
class BodyTemplateTest {
    private static final int SCRAPES = 400;

    /** How often the template read a body by its values, and how many bodies failed. */
    private record Run(int repeats, int failures) {}

    @Test
    void textBodiesReadAsInFull() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            Run run = compare(TEXT_0_0_4, seed);
            assertThat(run.repeats).as("seed %d", seed).isGreaterThan(SCRAPES / 4);
            assertThat(run.failures).as("seed %d", seed).isPositive();
        }
    }

    @Test
    void openMetricsBodiesReadAsInFull() throws Exception {
        for (long seed = 11; seed <= 16; seed++) {
            Run run = compare(OPENMETRICS_1_0, seed);
            assertThat(run.repeats).as("seed %d", seed).isGreaterThan(SCRAPES / 4);
            assertThat(run.failures).as("seed %d", seed).isPositive();
        }
    }

    @Test
    void aRepeatedBodyIsReadByItsValues() throws Exception {
        ExpositionParser parser = new ExpositionParser();
        BodyTemplate template = new BodyTemplate();
        TargetMetadata metadata = new TargetMetadata();
        byte[] first = "# TYPE c counter\nc_total{a=\"1\"} 1\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] next = "# TYPE c counter\nc_total{a=\"1\"} 1e3 17\n# TYPE h histogram\nh_bucket{le=\"1\"} NaN\n"
                .getBytes(StandardCharsets.UTF_8);

        parser.parse(first, first.length, TEXT_0_0_4, metadata, template);
        assertThat(template.lastRepeated()).isFalse();
        List<Sample> samples = parser.parse(next, next.length, TEXT_0_0_4, metadata, template);

        assertThat(template.lastRepeated()).isTrue();
        assertThat(template.keptBodyBytes()).isEqualTo(first.length - 2);
        assertThat(samples)
                .extracting(Sample::name, Sample::type, Sample::value, Sample::timestampMs)
                .containsExactly(
                        tuple("c_total", MetricType.COUNTER, 1000.0, 17L),
                        tuple("h_bucket", MetricType.HISTOGRAM, Double.NaN, Sample.NO_TIMESTAMP));
        assertThat(samples.get(1).labels().get("le")).isEqualTo("1.0");
    }

    @Test
    void aRepeatGivesTheKeptSeriesAsArraysAndTheGenerationChangesOnlyWithTheKeptBody() throws Exception {
        ExpositionParser parser = new ExpositionParser();
        BodyTemplate template = new BodyTemplate();
        TargetMetadata metadata = new TargetMetadata();
        assertThat(template.generation()).isEqualTo(-1);
        byte[] first = "# TYPE c counter\nc_total{a=\"1\"} 1\ng 2\n".getBytes(StandardCharsets.UTF_8);
        byte[] next = "# TYPE c counter\nc_total{a=\"1\"} 5 17\ng NaN\n".getBytes(StandardCharsets.UTF_8);
        byte[] other = "# TYPE c counter\nc_total{a=\"2\"} 5\ng 3\n".getBytes(StandardCharsets.UTF_8);

        List<Sample> read = parser.parseInFull(first, first.length, TEXT_0_0_4, metadata, template);
        long kept = template.generation();
        assertThat(kept).isNotNegative();
        assertThat(parser.repeat(other, other.length, TEXT_0_0_4, metadata, template))
                .isNull();
        assertThat(template.lastRepeated()).isFalse();
        BodyTemplate.Repeated repeated = parser.repeat(next, next.length, TEXT_0_0_4, metadata, template);

        assertThat(template.lastRepeated()).isTrue();
        assertThat(template.generation()).as("a repeat keeps the body").isEqualTo(kept);
        assertThat(repeated.size()).isEqualTo(2);
        assertThat(repeated.values()).containsExactly(5.0, Double.NaN);
        assertThat(repeated.anyHasATimestamp()).isTrue();
        assertThat(repeated.family(0)).isEqualTo("c");
        assertThat(repeated.type(0)).isEqualTo(MetricType.COUNTER);
        assertThat(repeated.type(1)).isEqualTo(MetricType.UNTYPED);
        List<Sample> samples = repeated.samples();
        assertThat(samples).isEqualTo(parser.parseInFull(next, next.length, TEXT_0_0_4, metadata, null));
        for (int i = 0; i < samples.size(); i++) {
            assertThat(samples.get(i).labels())
                    .as("the kept label sets")
                    .isSameAs(read.get(i).labels());
            assertThat(samples.get(i).name()).isSameAs(read.get(i).name());
        }

        parser.parseInFull(other, other.length, TEXT_0_0_4, metadata, template);
        assertThat(template.generation()).as("another body kept").isGreaterThan(kept);
        byte[] unkeepable = "a+1\n".getBytes(StandardCharsets.UTF_8);
        parser.parseInFull(unkeepable, unkeepable.length, TEXT_0_0_4, metadata, template);
        assertThat(template.generation()).as("none kept").isEqualTo(-1);
    }

    /** {@code a+1} is the sample a with value +1, but {@code a1} is a name without a value: not kept. */
    @Test
    void aValueRightAfterTheNameIsNotKept() throws Exception {
        ExpositionParser parser = new ExpositionParser();
        BodyTemplate template = new BodyTemplate();
        byte[] signed = "a+1\n".getBytes(StandardCharsets.UTF_8);
        parser.parse(signed, signed.length, TEXT_0_0_4, new TargetMetadata(), template);
        assertThat(template.keptBodyBytes()).isZero();

        String fullError = failure(new ExpositionParser(), "a1\n", TEXT_0_0_4, null);
        assertThat(fullError).isNotNull();
        assertThat(failure(parser, "a1\n", TEXT_0_0_4, template)).isEqualTo(fullError);
    }

    @Test
    void aBodyOfTheOtherFormatIsReadInFull() throws Exception {
        ExpositionParser parser = new ExpositionParser();
        BodyTemplate template = new BodyTemplate();
        byte[] body = "g 1\n".getBytes(StandardCharsets.UTF_8);
        parser.parse(body, body.length, TEXT_0_0_4, new TargetMetadata(), template);
        assertThat(failure(parser, "g 1\n", OPENMETRICS_1_0, template))
                .isEqualTo(failure(new ExpositionParser(), "g 1\n", OPENMETRICS_1_0, null));
        assertThat(template.lastRepeated()).isFalse();
    }

    private static String failure(ExpositionParser parser, String body, ExpositionFormat format, BodyTemplate t) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        try {
            parser.parse(b, b.length, format, new TargetMetadata(), t);
            return null;
        } catch (ExpositionParseException e) {
            return e.getMessage();
        }
    }

    private static Run compare(ExpositionFormat format, long seed) throws Exception {
        boolean openMetrics = format == OPENMETRICS_1_0;
        Exposition exposition = new Exposition(new Random(seed), openMetrics);
        ExpositionParser full = new ExpositionParser();
        ExpositionParser templated = new ExpositionParser();
        TargetMetadata fullMetadata = new TargetMetadata();
        TargetMetadata templatedMetadata = new TargetMetadata();
        BodyTemplate template = new BodyTemplate();
        Set<String> names = new HashSet<>();
        int repeats = 0;
        int failures = 0;
        for (int scrape = 0; scrape < SCRAPES; scrape++) {
            String text = exposition.next();
            // a body may sit in a larger buffer, as the fetcher's does
            byte[] raw = text.getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[raw.length + 16];
            System.arraycopy(raw, 0, body, 0, raw.length);
            body[raw.length] = '9';
            String at = "seed " + seed + ", scrape " + scrape + ":\n" + text;
            List<Sample> expected = null;
            String expectedError = null;
            try {
                expected = full.parse(body, raw.length, format, fullMetadata);
            } catch (ExpositionParseException e) {
                expectedError = e.getMessage();
            }
            List<Sample> actual = null;
            String actualError = null;
            try {
                actual = templated.parse(body, raw.length, format, templatedMetadata, template);
            } catch (ExpositionParseException e) {
                actualError = e.getMessage();
            }
            assertThat(actualError).as(at).isEqualTo(expectedError);
            assertThat(actual).as(at).isEqualTo(expected);
            if (expected != null) {
                expected.forEach(s -> names.add(s.family()));
                if (template.lastRepeated()) {
                    repeats++;
                }
            } else {
                failures++;
                assertThat(template.lastRepeated()).as(at).isFalse();
            }
            boolean flush = expected != null && raw.length > 0;
            fullMetadata.scrapeEnded(flush);
            templatedMetadata.scrapeEnded(flush);
            for (String family : names) {
                assertThat(templatedMetadata.typeOf(family)).as(at).isEqualTo(fullMetadata.typeOf(family));
            }
        }
        return new Run(repeats, failures);
    }

    /**
     * A target's exposition, scrape after scrape. Its families and series persist and change now and then; each body
     * has new values, and one in a while is broken in a way that lasts only for that body.
     */
    private static final class Exposition {
        private final Random random;
        private final boolean openMetrics;
        private final List<Family> families = new ArrayList<>();
        /** Scrapes left without any metadata line (longer than the target's metadata keeps a type). */
        private int untypedFor;

        private boolean stamped;
        private boolean exemplars;
        private String comment = "# a comment\n";

        Exposition(Random random, boolean openMetrics) {
            this.random = random;
            this.openMetrics = openMetrics;
            families.add(new Family("req", "counter", "Requests.", series("req_total", "path", 3)));
            families.add(new Family("temp", "gauge", "Temperature.", series("temp", "sensor", 2)));
            List<String> buckets = new ArrayList<>();
            for (String le : List.of("0.1", "1", "1e3", "+Inf")) {
                buckets.add("lat_bucket{le=\"" + le + "\"}");
            }
            buckets.add("lat_sum");
            buckets.add("lat_count");
            families.add(new Family("lat", "histogram", "Latency.", buckets));
            List<String> summary = new ArrayList<>(List.of("rpc{quantile=\"0\"}", "rpc{quantile=\"0.99\"}"));
            summary.add("rpc_sum");
            summary.add("rpc_count");
            families.add(new Family("rpc", "summary", "RPCs.", summary));
            families.add(new Family("up_time", "untyped", "Up.", new ArrayList<>(List.of("up_time{x=\"\",y=\"1\"}"))));
        }

        private static List<String> series(String name, String label, int n) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(name + "{" + label + "=\"v" + i + "\",code=\"200\"}");
            }
            return out;
        }

        String next() {
            if (random.nextInt(4) == 0) {
                change();
            }
            StringBuilder b = new StringBuilder();
            if (!openMetrics) {
                b.append(comment);
            }
            for (Family f : families) {
                if (untypedFor == 0) {
                    b.append("# HELP ")
                            .append(f.name)
                            .append(' ')
                            .append(f.help)
                            .append('\n');
                    b.append("# TYPE ")
                            .append(f.name)
                            .append(' ')
                            .append(openMetrics && f.type.equals("untyped") ? "unknown" : f.type)
                            .append('\n');
                }
                for (String s : f.series) {
                    b.append(s).append(' ').append(value());
                    if (stamped) {
                        b.append(' ').append(timestamp());
                    }
                    if (exemplars && openMetrics && s.contains("_bucket")) {
                        b.append(" # {trace_id=\"")
                                .append(Long.toHexString(random.nextLong()))
                                .append("\"} ")
                                .append(value().replace("NaN", "1"));
                    }
                    b.append('\n');
                }
            }
            if (openMetrics) {
                b.append("# EOF\n");
            }
            if (untypedFor > 0) {
                untypedFor--;
            }
            return breakNow(b.toString());
        }

        /** A lasting change of the exposition. */
        private void change() {
            Family f = families.get(random.nextInt(families.size()));
            switch (random.nextInt(11)) {
                case 0 ->
                    f.series.add(
                            random.nextInt(f.series.size() + 1),
                            f.series.get(0).replace("200", "50" + random.nextInt(4)));
                case 1 -> {
                    if (f.series.size() > 1) {
                        f.series.remove(random.nextInt(f.series.size()));
                    }
                }
                case 2 -> {
                    int i = random.nextInt(f.series.size());
                    f.series.set(i, f.series.get(i).replace("\"v", "\"w"));
                }
                case 3 -> {
                    if (f.series.size() > 1) {
                        int i = random.nextInt(f.series.size() - 1);
                        f.series.add(i, f.series.remove(i + 1));
                    }
                }
                case 4 -> f.help = "Help " + random.nextInt(3) + ".";
                case 5 -> f.type = f.type.equals("gauge") ? "counter" : f.type.equals("counter") ? "gauge" : f.type;
                case 6 -> untypedFor = 12 + random.nextInt(4);
                case 7 -> stamped = !stamped;
                case 8 -> exemplars = !exemplars;
                case 9 -> comment = random.nextBoolean() ? "# another comment\n\n" : "#\n";
                default -> {
                    // a series given twice
                    f.series.add(f.series.get(random.nextInt(f.series.size())));
                }
            }
        }

        /** One body in twelve is broken, or spelled in a way that is read as the same or differently. */
        private String breakNow(String body) {
            if (random.nextInt(12) != 0) {
                return body;
            }
            int line = body.indexOf('\n', random.nextInt(body.length()));
            switch (random.nextInt(7)) {
                case 0 -> {
                    return body.substring(0, random.nextInt(body.length()));
                }
                case 1 -> {
                    return body.replaceFirst(" [0-9]+(\\.[0-9]+)?\n", " 1x\n");
                }
                case 2 -> {
                    return body + "garbage {\n";
                }
                case 3 -> {
                    return line < 0 ? body : body.substring(0, line + 1) + "\n" + body.substring(line + 1);
                }
                case 4 -> {
                    return body.replaceFirst("\\} ", "}  ");
                }
                case 5 -> {
                    return body.replaceFirst("\\} ", "}\t");
                }
                default -> {
                    return body.endsWith("\n") ? body.substring(0, body.length() - 1) : body + "\n";
                }
            }
        }

        private String value() {
            return switch (random.nextInt(14)) {
                case 0 -> "NaN";
                case 1 -> "+Inf";
                case 2 -> "-Inf";
                case 3 -> "1.5e-3";
                case 4 -> Integer.toString(random.nextInt(10));
                case 5 -> Long.toString(random.nextLong() >>> 1);
                default -> Double.toString(random.nextInt(100_000) / 8.0);
            };
        }

        private String timestamp() {
            long ms = 1_700_000_000_000L + random.nextInt(1_000_000);
            return openMetrics ? Double.toString(ms / 1000.0) : Long.toString(ms);
        }
    }

    private static final class Family {
        final String name;
        String type;
        String help;
        final List<String> series;

        Family(String name, String type, String help, List<String> series) {
            this.name = name;
            this.type = type;
            this.help = help;
            this.series = series;
        }
    }
}
