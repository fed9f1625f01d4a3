package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogGroupTest {

    private static Event event(long timestamp, long ingestion, long seq, String message) {
        return new Event(timestamp, ingestion, seq, message, null, Utf8Size.length(message));
    }

    @Test
    void anEmptyGroupReportsItsSettingsAndNothingStored() {
        LogGroup g = new LogGroup("/aws/containerinsights/demo/application", 1_000L, "STANDARD", null, null);

        assertThat(g.info())
                .isEqualTo(
                        new LogGroupInfo("/aws/containerinsights/demo/application", 1_000L, null, "STANDARD", 0, 0, 0));
    }

    @Test
    void theInfoSumsItsStreamsEventsAndUtf8Bytes() {
        LogGroup g = new LogGroup("g", 1_000L, "STANDARD", 7, "dir-1");
        LogStream a = new LogStream(g, "a", 1_001L, null);
        LogStream b = new LogStream(g, "b", 1_002L, null);
        LogStream empty = new LogStream(g, "c", 1_003L, null);
        a.insert(List.of(event(10, 50, 1, "héllo"), event(11, 50, 2, "x")));
        b.insert(List.of(event(12, 60, 3, "€€")));
        g.streams.put("a", a);
        g.streams.put("b", b);
        g.streams.put("c", empty);

        assertThat(g.info()).isEqualTo(new LogGroupInfo("g", 1_000L, 7, "STANDARD", 3, 3, 6 + 1 + 6));
    }

    @Test
    void forgottenEventsStayCounted() {
        LogGroup g = new LogGroup("g", 1_000L, "STANDARD", null, null);
        LogStream a = new LogStream(g, "a", 1_001L, null);
        a.insert(List.of(event(10, 50, 1, "old"), event(11, 90, 2, "new")));
        g.streams.put("a", a);

        a.forgetIngestedBefore(60);

        assertThat(g.info().eventCount()).isEqualTo(2);
        assertThat(g.info().storedBytes()).isEqualTo(6);
    }

    @Test
    void retentionCanBeSetAndRemoved() {
        LogGroup g = new LogGroup("g", 1_000L, "INFREQUENT_ACCESS", 30, null);
        assertThat(g.retentionInDays()).isEqualTo(30);

        g.retentionInDays(1);
        assertThat(g.info().retentionInDays()).isEqualTo(1);
        g.retentionInDays(null);
        assertThat(g.info().retentionInDays()).isNull();
        assertThat(g.info().logGroupClass()).isEqualTo("INFREQUENT_ACCESS");
    }

    @Test
    void streamsAreKeptSortedByName() {
        LogGroup g = new LogGroup("g", 1_000L, "STANDARD", null, null);
        for (String name : List.of("node-b", "Node-a", "node-a", "app")) {
            g.streams.put(name, new LogStream(g, name, 1L, null));
        }

        assertThat(g.streams.keySet()).containsExactly("Node-a", "app", "node-a", "node-b");
    }
}
