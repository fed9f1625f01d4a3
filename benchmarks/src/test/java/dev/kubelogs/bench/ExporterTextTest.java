package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.ExpositionFormat;
import dev.kubelogs.job.metrics.parse.ExpositionParser;
import dev.kubelogs.job.metrics.scrape.SampleDropReason;
import dev.kubelogs.job.metrics.scrape.SeriesGrouping;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExporterTextTest {

    @Test
    void aScrapeHasTheSeriesAndGroupsTheBenchCountsOn() throws Exception {
        byte[] body = ExporterText.render(7, 3);
        List<Sample> samples = new ExpositionParser().parse(body, body.length, ExpositionFormat.TEXT_0_0_4);
        Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);
        List<SeriesGroup> groups = SeriesGrouping.group(samples, 1_000L, true, drops);

        assertThat(samples).hasSize(ExporterText.SERIES).hasSize(1_000);
        assertThat(drops).isEmpty();
        long everyScrape = groups.stream()
                .filter(g -> g.type == MetricType.GAUGE || (g.type == MetricType.SUMMARY && g.labels.has("quantile")))
                .count();
        assertThat(everyScrape).isEqualTo(ExporterText.GAUGE_GROUPS);
        assertThat(groups).hasSize(ExporterText.GAUGE_GROUPS + ExporterText.PRIMING_GROUPS);
        long counterLike = samples.stream()
                .filter(s -> s.type() == MetricType.COUNTER
                        || s.type() == MetricType.HISTOGRAM
                        || (s.type() == MetricType.SUMMARY && !s.labels().has("quantile")))
                .count();
        assertThat(counterLike).isEqualTo(ExporterText.COUNTER_LIKE_SERIES);
    }

    @Test
    void countersGrowFromScrapeToScrape() throws Exception {
        List<Sample> first = parse(ExporterText.render(1, 0));
        List<Sample> second = parse(ExporterText.render(1, 1));
        for (int i = 0; i < first.size(); i++) {
            Sample a = first.get(i);
            if (a.type() == MetricType.COUNTER || a.type() == MetricType.HISTOGRAM) {
                assertThat(second.get(i).value()).as(a.name() + a.labels()).isGreaterThan(a.value());
            }
        }
    }

    @Test
    void eventsCountPrimingOnTheFirstScrape() {
        assertThat(ExporterText.eventsFor(0)).isZero();
        assertThat(ExporterText.eventsFor(1)).isEqualTo(ExporterText.GAUGE_GROUPS);
        assertThat(ExporterText.eventsFor(3))
                .isEqualTo(3L * ExporterText.GAUGE_GROUPS + 2L * ExporterText.PRIMING_GROUPS);
    }

    private static List<Sample> parse(byte[] body) throws Exception {
        return new ExpositionParser().parse(body, body.length, ExpositionFormat.TEXT_0_0_4);
    }
}
