package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.StaticConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StaticDiscoveryTest {

    @Test
    void eachEntryIsOneSourceOfItsTargetsWithTheEntrysLabels() throws Exception {
        RecordingListener listener = new RecordingListener();
        List<StaticConfig> configs = List.of(
                new StaticConfig(List.of("localhost:9100", "localhost:9101"), Labels.of("env", "demo")),
                new StaticConfig(List.of("collector:2020"), Labels.EMPTY));
        try (StaticDiscovery d = new StaticDiscovery("static", configs, TestTargets.keepAll("static"), listener)) {
            d.start();
            assertThat(listener.source("static static/0"))
                    .extracting(ScrapeTarget::labels)
                    .containsExactly(
                            Labels.of("__address__", "localhost:9100", "env", "demo"),
                            Labels.of("__address__", "localhost:9101", "env", "demo"));
            assertThat(listener.source("static static/1"))
                    .extracting(ScrapeTarget::labels)
                    .containsExactly(Labels.of("__address__", "collector:2020"));
            assertThat(d.targets()).hasSize(3);
        }
        assertThat(listener.snapshot()).isEmpty();
    }

    @Test
    void aTargetTheBuilderRejectsIsCountedAndTheOthersStay() {
        RecordingListener listener = new RecordingListener();
        Function<Labels, ScrapeTarget> all = TestTargets.keepAll("static");
        Function<Labels, ScrapeTarget> rejectBad = labels -> {
            if (labels.get("__address__").contains("/")) {
                throw new IllegalArgumentException("invalid address");
            }
            return all.apply(labels);
        };
        StaticDiscovery d = new StaticDiscovery(
                "static",
                List.of(new StaticConfig(List.of("good:1", "bad/path:2"), Labels.EMPTY)),
                rejectBad,
                listener);
        d.start();
        assertThat(d.targets()).extracting(t -> t.labels().get("__address__")).containsExactly("good:1");
        assertThat(d.invalidTargets()).isEqualTo(1);
    }
}
