package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
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

    private List<SeriesGroup> process(ScrapeConfig job, String body) throws ScrapeFailure {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new ScrapeProcessor(job)
                .process(new RawBody(bytes, bytes.length, "text/plain; version=0.0.4"), TARGET, SCRAPE_TIME, drops);
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
}
