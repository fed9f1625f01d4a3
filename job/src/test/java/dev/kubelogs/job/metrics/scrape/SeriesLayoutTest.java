package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.delta.SeriesGroupKey;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.LayoutGroups;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.BodyTemplate;
import dev.kubelogs.job.metrics.parse.ExpositionFormat;
import dev.kubelogs.job.metrics.parse.ExpositionParser;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scrape's groups without their values, reapplied to a later scrape of the same series. */
class SeriesLayoutTest {
    private static final ScrapeProcessor PROCESSOR =
            new ScrapeProcessor(ScrapeConfigs.job("j").build());
    private static final ScrapeTarget TARGET =
            new ScrapeTarget("j", "http://10.0.0.1/metrics", Labels.of("job", "j"), 15_000, 10_000, null);

    private static Sample gauge(String name, String sensor, double value) {
        return new Sample(name, name, MetricType.GAUGE, Labels.of("sensor", sensor), value, Sample.NO_TIMESTAMP);
    }

    private static List<Sample> scrape(double a, double b, double repeat) {
        return List.of(gauge("temp", "a", a), gauge("temp", "b", b), gauge("temp", "a", repeat));
    }

    /** The layout of these samples as the grouping makes it, with its duplicate counted. */
    private static SeriesLayout layoutOf(List<Sample> samples) {
        Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);
        List<SeriesGroup> probed = SeriesGrouping.group(SeriesLayout.probes(samples), 5L, false, drops);
        return SeriesLayout.of(PROCESSOR, TARGET, samples, probed, drops);
    }

    @Test
    void probesCarryTheirIndexAsValue() {
        assertThat(SeriesLayout.probes(scrape(7, 8, 9)))
                .extracting(Sample::value)
                .containsExactly(0.0, 1.0, 2.0);
    }

    @Test
    void appliedToALaterScrapeGivesWhatGroupingItGives() {
        SeriesLayout layout = layoutOf(scrape(1, 2, 3));
        List<Sample> later = scrape(10, 20, 30);
        Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);
        Map<SampleDropReason, Integer> expectedDrops = new EnumMap<>(SampleDropReason.class);

        List<SeriesGroup> applied = layout.apply(later, 99L, drops);

        assertThat(applied).isEqualTo(SeriesGrouping.group(later, 99L, false, expectedDrops));
        assertThat(drops).isEqualTo(expectedDrops).containsEntry(SampleDropReason.DUPLICATE_SERIES, 1);
        // a gauge's repeat gives the field its value
        assertThat(applied.get(0).values).containsExactly(30.0);
    }

    private static List<Sample> withACounter(double a, double b, double counter) {
        return List.of(
                gauge("temp", "a", a),
                gauge("temp", "b", b),
                new Sample("up", "up", MetricType.COUNTER, Labels.of("sensor", "a"), counter, Sample.NO_TIMESTAMP));
    }

    @Test
    void appliedGroupsCarryTheKeyTheDeltaStageWouldHash() {
        SeriesLayout layout = layoutOf(withACounter(1, 2, 3));

        List<SeriesGroup> first = layout.apply(withACounter(10, 20, 30), 99L, new EnumMap<>(SampleDropReason.class));
        List<SeriesGroup> second = layout.apply(withACounter(11, 21, 31), 100L, new EnumMap<>(SampleDropReason.class));

        assertThat(first).hasSize(3);
        for (int g = 0; g < first.size(); g++) {
            SeriesGroup applied = first.get(g);
            // a group without a key, made of the same fields, is hashed by the delta stage's own key selector
            SeriesGroup unkeyed = new SeriesGroup(
                    applied.logStream,
                    applied.labels,
                    applied.type,
                    applied.timestampMs,
                    applied.names,
                    applied.values,
                    applied.upperBounds);
            assertThat(unkeyed.seriesKey).isNull();
            assertThat(applied.seriesKey).isNotNull().isEqualTo(SeriesGroupKey.of(unkeyed));
            assertThat(second.get(g).seriesKey)
                    .as("each group its own tuple, of the same value")
                    .isEqualTo(applied.seriesKey)
                    .isNotSameAs(applied.seriesKey);
        }
        assertThat(first.get(0).seriesKey).isNotEqualTo(first.get(1).seriesKey);
        assertThat(first.get(0).seriesKey).isNotEqualTo(first.get(2).seriesKey);
    }

    @Test
    void everyScrapeOfALayoutNamesItsRoutesAndSharesItsConstantInstances() {
        SeriesLayout layout = layoutOf(withACounter(1, 2, 3));
        SeriesLayout other = layoutOf(withACounter(1, 2, 3));

        List<SeriesGroup> first = layout.apply(withACounter(10, 20, 30), 99L, new EnumMap<>(SampleDropReason.class));
        List<SeriesGroup> second = layout.apply(withACounter(11, 21, 31), 100L, new EnumMap<>(SampleDropReason.class));

        assertThat(first).isInstanceOf(LayoutGroups.class);
        assertThat(((LayoutGroups) second).routes())
                .isSameAs(((LayoutGroups) first).routes())
                .isNotSameAs(
                        ((LayoutGroups) other.apply(withACounter(1, 2, 3), 99L, new EnumMap<>(SampleDropReason.class)))
                                .routes());
        for (int g = 0; g < first.size(); g++) {
            // what a constant block of the first scrape's groups encodes is the second's too
            assertThat(second.get(g).labels).isSameAs(first.get(g).labels);
            assertThat(second.get(g).names).isSameAs(first.get(g).names);
            assertThat(second.get(g).upperBounds).isSameAs(first.get(g).upperBounds);
            assertThat(second.get(g).logStream).isSameAs(first.get(g).logStream);
            assertThat(second.get(g).type).isSameAs(first.get(g).type);
        }
        assertThatThrownBy(() -> first.set(0, second.get(0))).isInstanceOf(UnsupportedOperationException.class);
        ScrapeOutcome outcome = ScrapeOutcome.ok(null, 99L, first, Map.of());
        assertThat(outcome.groups()).as("the outcome keeps the layout's list").isSameAs(first);
    }

    @Test
    void aRepeatOfItsTemplateMatchesByFamiliesAndTypesAndAppliesByValues() throws Exception {
        ExpositionParser parser = new ExpositionParser();
        BodyTemplate template = new BodyTemplate();
        TargetMetadata metadata = new TargetMetadata();
        byte[] first = "# TYPE temp gauge\ntemp{sensor=\"a\"} 1\ntemp{sensor=\"b\"} 2\ntemp{sensor=\"a\"} 3\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] next = "# TYPE temp gauge\ntemp{sensor=\"a\"} 10\ntemp{sensor=\"b\"} 20\ntemp{sensor=\"a\"} 30\n"
                .getBytes(StandardCharsets.UTF_8);
        List<Sample> read = parser.parseInFull(first, first.length, ExpositionFormat.TEXT_0_0_4, metadata, template);
        Map<SampleDropReason, Integer> probeDrops = new EnumMap<>(SampleDropReason.class);
        SeriesLayout layout = SeriesLayout.of(
                PROCESSOR,
                TARGET,
                read,
                SeriesGrouping.group(SeriesLayout.probes(read), 5L, false, probeDrops),
                probeDrops,
                template.generation());
        BodyTemplate.Repeated repeated =
                parser.repeat(next, next.length, ExpositionFormat.TEXT_0_0_4, metadata, template);

        assertThat(layout.template()).isEqualTo(template.generation());
        assertThat(layout.matchesRepeat(PROCESSOR, TARGET, repeated)).isTrue();
        assertThat(layout.matchesRepeat(
                        new ScrapeProcessor(ScrapeConfigs.job("j").build()), TARGET, repeated))
                .isFalse();
        assertThat(layoutOf(read).matchesRepeat(PROCESSOR, TARGET, repeated))
                .as("a layout of no template")
                .isFalse();
        Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);
        Map<SampleDropReason, Integer> expectedDrops = new EnumMap<>(SampleDropReason.class);
        assertThat(layout.apply(repeated.values(), 99L, drops))
                .isEqualTo(SeriesGrouping.group(repeated.samples(), 99L, false, expectedDrops));
        assertThat(drops).isEqualTo(expectedDrops);
    }

    @Test
    void aRepeatWhoseTypesChangedDoesNotMatch() throws Exception {
        ExpositionParser parser = new ExpositionParser();
        BodyTemplate template = new BodyTemplate();
        TargetMetadata metadata = new TargetMetadata();
        metadata.scrapeEnded(true);
        byte[] body = "temp{sensor=\"a\"} 1\n".getBytes(StandardCharsets.UTF_8);
        List<Sample> read = parser.parseInFull(body, body.length, ExpositionFormat.TEXT_0_0_4, metadata, template);
        Map<SampleDropReason, Integer> probeDrops = new EnumMap<>(SampleDropReason.class);
        SeriesLayout layout = SeriesLayout.of(
                PROCESSOR,
                TARGET,
                read,
                SeriesGrouping.group(SeriesLayout.probes(read), 5L, false, probeDrops),
                probeDrops,
                template.generation());
        // another body of the target typed temp since; this one repeats the template and is typed by that
        byte[] typing = "# TYPE temp gauge\n".getBytes(StandardCharsets.UTF_8);
        new ExpositionParser().parseInFull(typing, typing.length, ExpositionFormat.TEXT_0_0_4, metadata, null);

        BodyTemplate.Repeated repeated =
                parser.repeat(body, body.length, ExpositionFormat.TEXT_0_0_4, metadata, template);

        assertThat(repeated.type(0)).isEqualTo(MetricType.GAUGE);
        assertThat(layout.matchesRepeat(PROCESSOR, TARGET, repeated)).isFalse();
    }

    @Test
    void matchesTheSameSeriesOnly() {
        SeriesLayout layout = layoutOf(scrape(1, 2, 3));

        assertThat(layout.matches(PROCESSOR, TARGET, scrape(4, 5, 6))).isTrue();
        assertThat(layout.matches(PROCESSOR, TARGET, scrape(4, 5, 6).subList(0, 2)))
                .isFalse();
        assertThat(layout.matches(
                        PROCESSOR,
                        TARGET,
                        List.of(gauge("temp", "a", 1), gauge("temp", "c", 2), gauge("temp", "a", 3))))
                .isFalse();
        assertThat(layout.matches(
                        PROCESSOR,
                        TARGET,
                        List.of(
                                gauge("temp", "a", 1),
                                new Sample("temp", "temp", MetricType.COUNTER, Labels.of("sensor", "b"), 2, -1),
                                gauge("temp", "a", 3))))
                .isFalse();
        assertThat(layout.matches(new ScrapeProcessor(ScrapeConfigs.job("j").build()), TARGET, scrape(4, 5, 6)))
                .isFalse();
        ScrapeTarget other =
                new ScrapeTarget("j", "http://10.0.0.1/metrics", Labels.of("job", "j", "pod", "p"), 15_000, 10_000);
        assertThat(layout.matches(PROCESSOR, other, scrape(4, 5, 6))).isFalse();
    }

    @Test
    void refusesGroupsWithPerSampleTimestamps() {
        List<Sample> samples = List.of(new Sample("c", "c", MetricType.COUNTER, Labels.EMPTY, 1, 3L));
        SeriesGroup stamped =
                new SeriesGroup("j", Labels.EMPTY, MetricType.COUNTER, 5L, new String[] {"c"}, new double[] {0}, null);
        stamped.sampleTimestamps = new long[] {3L};

        assertThatThrownBy(() -> SeriesLayout.of(PROCESSOR, TARGET, samples, List.of(stamped), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
