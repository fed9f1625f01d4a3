package dev.kubelogs.job.metrics.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeEnumeratorStateSerializerTest {

    @Test
    void theStateRoundTrips() throws IOException {
        ScrapeTarget a = new ScrapeTarget("j", "http://a:1/metrics", Labels.of("job", "j", "instance", "a:1"), 1, 2);
        ScrapeTarget b = new ScrapeTarget("j", "http://b:1/metrics", Labels.of("job", "j", "instance", "b:1"), 3, 4);
        ScrapeEnumeratorState state = new ScrapeEnumeratorState(
                List.of(
                        new ScrapeEnumeratorState.SourceTargets("j", "pod/ns/p1", List.of(a, b)),
                        new ScrapeEnumeratorState.SourceTargets("j", "static/0", List.of())),
                Map.of(a.id(), 0, b.id(), 3));
        ScrapeEnumeratorStateSerializer serializer = new ScrapeEnumeratorStateSerializer();

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state)))
                .isEqualTo(state);
        assertThat(serializer.serialize(ScrapeEnumeratorState.empty())).hasSize(8);
    }
}
