package dev.kubelogs.job.metrics.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules the CloudWatch agent's {@code start.go} {@code relabelScrapeConfigs} puts in front of a job's own. */
class AgentSavedLabelsTest {

    @Test
    void theTargetRulesSaveTheJobsNameAndTheDiscoveredAddressBeforeTheJobsRules() {
        RelabelConfig newAddress = new RelabelConfig(
                List.of("__address__"), ";", "(.*):\\d+", 0, "__address__", "$1:9901", RelabelAction.REPLACE);
        Relabeler rules = new Relabeler(AgentSavedLabels.withTargetRules("envoy", List.of(newAddress)));

        Labels out = rules.apply(Labels.of("__address__", "10.0.1.5:15000", "job", "other"));

        assertThat(out.get("__address__")).isEqualTo("10.0.1.5:9901");
        assertThat(out.get(AgentSavedLabels.JOB)).isEqualTo("envoy");
        assertThat(out.get(AgentSavedLabels.INSTANCE)).isEqualTo("10.0.1.5:15000");
    }

    @Test
    void theJobsRulesSeeTheSavedLabels() {
        RelabelConfig dropSaved =
                new RelabelConfig(List.of(), ";", "cwagent_saved_scrape_job", 0, "", "$1", RelabelAction.LABELDROP);
        Relabeler rules = new Relabeler(AgentSavedLabels.withTargetRules("j", List.of(dropSaved)));

        Labels out = rules.apply(Labels.of("__address__", "h:1"));

        assertThat(out.has(AgentSavedLabels.JOB)).isFalse();
        assertThat(out.get(AgentSavedLabels.INSTANCE)).isEqualTo("h:1");
    }

    @Test
    void theMetricRuleSavesTheNameAsExposed() {
        Relabeler rule = new Relabeler(List.of(AgentSavedLabels.metricRule()));

        assertThat(rule.apply(Labels.of("__name__", "req_total", "a", "1")).get(AgentSavedLabels.NAME))
                .isEqualTo("req_total");
    }

    @Test
    void onlyTheThreeNamesAreSaved() {
        assertThat(AgentSavedLabels.isSaved("cwagent_saved_scrape_name")).isTrue();
        assertThat(AgentSavedLabels.isSaved("cwagent_saved_scrape_job")).isTrue();
        assertThat(AgentSavedLabels.isSaved("cwagent_saved_scrape_instance")).isTrue();
        assertThat(AgentSavedLabels.isSaved("saved_scrape_name")).isFalse();
    }
}
