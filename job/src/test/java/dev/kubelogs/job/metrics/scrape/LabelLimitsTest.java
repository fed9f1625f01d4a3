package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' {@code scrape.go} {@code verifyLabelLimits} on the label set the CloudWatch agent's scrape loop has:
 * with those of the three labels {@code plugins/inputs/prometheus/start.go} {@code relabelScrapeConfigs} adds that the
 * job's rules left.
 */
class LabelLimitsTest {
    private static final String JOB = "kubernetes-pod-jmx";
    private static final String ADDRESS = "10.0.0.1:9404";
    private static final Sample SAMPLE = new Sample(
            "jvm_threads_current",
            "jvm_threads_current",
            MetricType.GAUGE,
            Labels.of("instance", "10.0.0.1:9404", "job", JOB),
            12,
            Sample.NO_TIMESTAMP);

    private static LabelLimits limits(int labels, int nameLength, int valueLength) {
        return new LabelLimits(new ScrapeOptions(0, labels, nameLength, valueLength, 0, true));
    }

    @Test
    void theAgentsThreeSavedLabelsCountAgainstTheLabelLimit() {
        // __name__, instance, job, cwagent_saved_scrape_job, cwagent_saved_scrape_instance, cwagent_saved_scrape_name
        assertThatCode(() -> limits(6, 0, 0).check(SAMPLE, JOB, ADDRESS, SAMPLE.name()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> limits(5, 0, 0).check(SAMPLE, JOB, ADDRESS, SAMPLE.name()))
                .isInstanceOf(ScrapeFailure.class)
                .hasMessageContaining("number of labels: 6");
    }

    @Test
    void aNameLengthLimitUnderTheSavedInstanceLabelsLengthFailsEverySample() {
        // "cwagent_saved_scrape_instance" is 29 bytes
        assertThatCode(() -> limits(0, 29, 0).check(SAMPLE, JOB, ADDRESS, SAMPLE.name()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> limits(0, 28, 0).check(SAMPLE, JOB, ADDRESS, SAMPLE.name()))
                .isInstanceOf(ScrapeFailure.class)
                .hasMessageContaining("cwagent_saved_scrape_instance");
    }

    @Test
    void theJobNameAndTheExposedMetricNameAreValuesTheValueLimitApplies() {
        Sample renamed = SAMPLE.withLabels("threads", SAMPLE.labels());
        int exposed = "jvm_threads_current".length();
        assertThatCode(() -> limits(0, 0, exposed).check(renamed, JOB, ADDRESS, SAMPLE.name()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> limits(0, 0, exposed - 1).check(renamed, JOB, ADDRESS, SAMPLE.name()))
                .isInstanceOf(ScrapeFailure.class)
                .hasMessageContaining("cwagent_saved_scrape_name");

        Sample shortOne = new Sample("t", "t", MetricType.GAUGE, Labels.of("job", "j"), 1, Sample.NO_TIMESTAMP);
        assertThatThrownBy(() -> limits(0, 0, JOB.length() - 1).check(shortOne, JOB, null, "t"))
                .isInstanceOf(ScrapeFailure.class)
                .hasMessageContaining("cwagent_saved_scrape_job");
    }

    @Test
    void savedLabelsTheJobsRulesRemovedDoNotCount() {
        assertThatCode(() -> limits(3, 0, 0).check(SAMPLE, null, null, null)).doesNotThrowAnyException();
        assertThatCode(() -> limits(0, 28, 0).check(SAMPLE, JOB, null, SAMPLE.name()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> limits(3, 0, 0).check(SAMPLE, null, null, SAMPLE.name()))
                .isInstanceOf(ScrapeFailure.class)
                .hasMessageContaining("number of labels: 4 with 1 of the agent's saved labels");
    }

    @Test
    void theDiscoveredAddressIsAValueTheValueLimitApplies() {
        assertThatThrownBy(() -> limits(0, 0, ADDRESS.length() - 1)
                        .check(
                                new Sample("t", "t", MetricType.GAUGE, Labels.EMPTY, 1, Sample.NO_TIMESTAMP),
                                null,
                                ADDRESS,
                                "t"))
                .isInstanceOf(ScrapeFailure.class)
                .hasMessageContaining("cwagent_saved_scrape_instance");
    }
}
