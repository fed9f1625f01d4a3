package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetPublisherTest {
    private final RecordingListener listener = new RecordingListener();
    private final TargetPublisher publisher =
            new TargetPublisher("job", TestTargets.keepWhere("job", "keep", "yes"), listener);

    @Test
    void publishesTheKeptTargetsOnceAndOnlyWhenTheyChange() {
        Labels a = Labels.of("__address__", "a:1", "keep", "yes");
        Labels b = Labels.of("__address__", "b:1", "keep", "no");
        assertThat(publisher.publish("pod/ns/p", List.of(a, b, a))).isTrue();
        assertThat(listener.source("job pod/ns/p")).extracting(t -> t.labels()).containsExactly(a);
        assertThat(publisher.publish("pod/ns/p", List.of(a, b))).isTrue();
        assertThat(listener.calls()).isEqualTo(1);

        assertThat(publisher.publish("pod/ns/p", List.of(b))).isFalse();
        assertThat(listener.snapshot()).isEmpty();
        assertThat(listener.calls()).isEqualTo(2);
        assertThat(publisher.sources()).isZero();

        // a source that never had targets is no news
        publisher.publish("pod/ns/q", List.of(b));
        publisher.remove("pod/ns/q");
        assertThat(listener.calls()).isEqualTo(2);
    }

    @Test
    void removeTakesASourcesTargetsBack() {
        publisher.publish("svc/ns/s", List.of(Labels.of("__address__", "s:80", "keep", "yes")));
        publisher.remove("svc/ns/s");
        assertThat(listener.snapshot()).isEmpty();
        assertThat(listener.calls()).isEqualTo(2);
    }
}
