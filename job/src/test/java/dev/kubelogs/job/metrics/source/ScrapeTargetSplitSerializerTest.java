package dev.kubelogs.job.metrics.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ScrapeTargetSplitSerializerTest {
    private final ScrapeTargetSplitSerializer serializer = ScrapeTargetSplitSerializer.INSTANCE;

    @Test
    void aSplitRoundTrips() throws IOException {
        ScrapeTargetSplit split = new ScrapeTargetSplit(new ScrapeTarget(
                "kubernetes-pod-jmx",
                "https://10.1.2.3:9404/metrics?module=a%20b",
                Labels.of(
                        "job",
                        "kubernetes-pod-jmx",
                        "pod_name",
                        "cafe-\u00e9-\uD83D\uDE00",
                        "long",
                        "x".repeat(70_000)),
                30_000,
                5_000));

        ScrapeTargetSplit back = serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(back).isEqualTo(split);
        assertThat(back.splitId()).isEqualTo(split.target().id());
    }

    @Test
    void anUnknownVersionIsRefused() {
        assertThatThrownBy(() -> serializer.deserialize(99, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("99");
    }

    @Test
    void theDiscoveredAddressRoundTripsWhetherKnownOrNot() throws IOException {
        Labels labels = Labels.of(
                "job", "j", "cwagent_saved_scrape_job", "j", "cwagent_saved_scrape_instance", "10.1.2.3:15000");
        for (String discovered : new String[] {"10.1.2.3:15000", "", null}) {
            ScrapeTargetSplit split = new ScrapeTargetSplit(
                    new ScrapeTarget("j", "http://10.1.2.3:9901/stats", labels, 60_000, 10_000, discovered));

            ScrapeTargetSplit back = serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

            assertThat(back.target().discoveredAddress()).isEqualTo(discovered);
            assertThat(back).isEqualTo(split);
        }
    }
}
