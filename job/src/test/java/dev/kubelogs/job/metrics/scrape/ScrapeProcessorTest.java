package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scraped body through parsing, target labels, metric relabeling and the limits, as Prometheus' scrape loop. */
class ScrapeProcessorTest {
    private static final long SCRAPE_TIME = 1_700_000_000_000L;
    private static final ScrapeTarget TARGET = new ScrapeTarget(
            "test-job",
            "http://10.0.0.1:8080/metrics",
            Labels.of("job", "test-job", "instance", "10.0.0.1:8080"),
            60_000,
            10_000);

    private final Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);
    private final TargetMetadata kept = new TargetMetadata();

    private List<SeriesGroup> process(ScrapeConfig job, String body) throws ScrapeFailure {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new ScrapeProcessor(job)
                .process(
                        new RawBody(bytes, bytes.length, "text/plain; version=0.0.4"),
                        TARGET,
                        kept,
                        SCRAPE_TIME,
                        drops);
    }

    @Test
    void aTargetsSamplesKeepTheTypeItsEarlierScrapesNamedForTenScrapesWithout() throws Exception {
        ScrapeConfig job = ScrapeConfigs.job("test-job").sampleLimit(1).build();
        assertThat(process(job, "# TYPE req counter\nreq_total 5\n"))
                .extracting(g -> g.type)
                .containsExactly(MetricType.COUNTER);
        kept.scrapeEnded(true);
        for (int scrape = 1; scrape <= 5; scrape++) {
            assertThat(process(job, "req_total 6\n")).extracting(g -> g.type).containsExactly(MetricType.COUNTER);
            kept.scrapeEnded(true);
            // a failed scrape is an iteration of Prometheus' scrape cache too
            assertThatThrownBy(() -> process(job, "req_total 6\nother 1\n")).isInstanceOf(ScrapeFailure.class);
            kept.scrapeEnded(false);
        }
        assertThat(process(job, "req_total 7\n")).isEmpty();
        assertThat(drops).containsEntry(SampleDropReason.UNTYPED, 1);
    }

    @Test
    void openMetricsCreatedSamplesAreDroppedAndCounted() throws Exception {
        // _created is the series' start time: the agent emits no field for it (#221)
        String body = "# TYPE req counter\nreq_total{a=\"1\"} 5\nreq_created{a=\"1\"} 1.7e9\n"
                + "# TYPE lat summary\nlat_sum 1\nlat_count 2\nlat_created 1.7e9\n# EOF\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        List<SeriesGroup> groups = new ScrapeProcessor(
                        ScrapeConfigs.job("test-job").build())
                .process(
                        new RawBody(bytes, bytes.length, "application/openmetrics-text; version=1.0.0"),
                        TARGET,
                        kept,
                        SCRAPE_TIME,
                        drops);

        assertThat(groups)
                .flatMap(g -> List.of(g.names))
                .containsExactlyInAnyOrder("req_total", "lat_sum", "lat_count");
        assertThat(drops).containsEntry(SampleDropReason.CREATED_TIMESTAMP, 2);
    }

    @Test
    void inTheTextFormatACreatedSampleIsANameOfItsOwnAndUntyped() throws Exception {
        List<SeriesGroup> groups =
                process(ScrapeConfigs.job("test-job").build(), "# TYPE req counter\nreq_total 5\nreq_created 1.7e9\n");

        assertThat(groups).flatMap(g -> List.of(g.names)).containsExactly("req_total");
        assertThat(drops)
                .containsEntry(SampleDropReason.UNTYPED, 1)
                .doesNotContainKey(SampleDropReason.CREATED_TIMESTAMP);
    }

    @Test
    void aMetricRelabelRuleThatRemovesTheNameFailsTheScrape() {
        // scrape.go: a series without __name__ after relabeling is errNameLabelMandatory, which ends the scrape
        RelabelConfig dropName = new RelabelConfig(List.of(), ";", "__name__", 0, "", "$1", RelabelAction.LABELDROP);
        ScrapeConfig job =
                ScrapeConfigs.job("test-job").metricRelabelConfigs(dropName).build();

        assertThatThrownBy(() -> process(job, "# TYPE g gauge\ng 1\n"))
                .isInstanceOfSatisfying(
                        ScrapeFailure.class, f -> assertThat(f.reason()).isEqualTo(ScrapeReason.MISSING_METRIC_NAME))
                .hasMessageContaining("__name__");
    }

    @Test
    void aSeriesRepeatedInTheScrapeCountsAgainstTheSampleLimitEachTime() throws Exception {
        // the agent's metricAppender.Append returns ref 0, so scrape.go scrapeCache.addRef caches no series and
        // never finds the repeat: limitAppender counts it like any other sample
        ScrapeConfig two = ScrapeConfigs.job("test-job").sampleLimit(2).build();
        ScrapeConfig three = ScrapeConfigs.job("test-job").sampleLimit(3).build();
        String body = "# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"1\"} 2\ng{a=\"2\"} 3\n";

        assertThatThrownBy(() -> process(two, body))
                .isInstanceOfSatisfying(
                        ScrapeFailure.class, f -> assertThat(f.reason()).isEqualTo(ScrapeReason.SAMPLE_LIMIT_EXCEEDED));
        assertThat(process(three, body)).hasSize(2);
        assertThat(drops).containsEntry(SampleDropReason.DUPLICATE_SERIES, 1);
    }

    @Test
    void aSampleStampedMoreThanTenMinutesAheadIsDroppedButCountsAgainstTheLimit() throws Exception {
        long ahead = SCRAPE_TIME + 10 * 60_000L + 1;
        String body = "# TYPE g gauge\ng{a=\"1\"} 1 " + ahead + "\ng{a=\"2\"} 2 " + (SCRAPE_TIME + 10 * 60_000L) + "\n";

        List<SeriesGroup> groups = process(ScrapeConfigs.job("test-job").build(), body);

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).labels.get("a")).isEqualTo("2");
        assertThat(drops).containsEntry(SampleDropReason.OUT_OF_BOUNDS, 1);
        // timeLimitAppender sits under limitAppender: the refused sample was counted first
        assertThatThrownBy(() ->
                        process(ScrapeConfigs.job("test-job").sampleLimit(1).build(), body))
                .isInstanceOfSatisfying(
                        ScrapeFailure.class, f -> assertThat(f.reason()).isEqualTo(ScrapeReason.SAMPLE_LIMIT_EXCEEDED));
        // without honor_timestamps the exposed timestamp is ignored, so nothing is out of bounds
        assertThat(process(ScrapeConfigs.job("test-job").honorTimestamps(false).build(), body))
                .hasSize(2);
    }

    @Test
    void withHonorLabelsAnExposedEmptyLabelRemovesTheTargetsLabel() throws Exception {
        List<SeriesGroup> honored =
                process(ScrapeConfigs.job("test-job").honorLabels(true).build(), "# TYPE g gauge\ng{job=\"\"} 1\n");
        assertThat(honored.get(0).labels).isEqualTo(Labels.of("instance", "10.0.0.1:8080"));

        List<SeriesGroup> notHonored =
                process(ScrapeConfigs.job("test-job").build(), "# TYPE g gauge\ng{job=\"\"} 1\n");
        assertThat(notHonored.get(0).labels).isEqualTo(TARGET.labels());
    }

    @Test
    void aScrapeWithoutATargetLabelNameGetsTheTargetsLabelsOnEveryGroup() throws Exception {
        List<SeriesGroup> groups = process(
                ScrapeConfigs.job("test-job").build(),
                "# TYPE req counter\nreq_total{code=\"200\"} 1\nreq_total{code=\"500\"} 2\n"
                        + "# TYPE lat histogram\nlat_bucket{le=\"1\"} 1\nlat_bucket{le=\"+Inf\"} 2\nlat_sum 3\n"
                        + "# TYPE up gauge\nup 1\n");

        assertThat(groups)
                .extracting(g -> g.labels)
                .containsExactly(
                        TARGET.labels().with("code", "200"),
                        TARGET.labels().with("code", "500"),
                        TARGET.labels(),
                        TARGET.labels());
        assertThat(groups).extracting(g -> g.logStream).containsOnly("test-job");
    }

    @Test
    void aRenamedConflictingLabelMeetsAnExposedLabelOfThatNameAsOneSeries() throws Exception {
        // job="x" becomes exported_job="x" beside the target's job: the same series as the second sample's
        List<SeriesGroup> groups = process(
                ScrapeConfigs.job("test-job").build(),
                "# TYPE g gauge\ng{job=\"x\"} 1\ng{exported_job=\"x\"} 2\ng{code=\"200\"} 3\n");

        assertThat(groups)
                .extracting(g -> g.labels)
                .containsExactly(
                        TARGET.labels().with("exported_job", "x"),
                        TARGET.labels().with("code", "200"));
        assertThat(groups.get(0).values).containsExactly(2.0);
        assertThat(drops).containsEntry(SampleDropReason.DUPLICATE_SERIES, 1);
    }
}
