package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.model.CloudWatchEvent;
import org.apache.flink.api.java.functions.KeySelector;
import org.junit.jupiter.api.Test;

class CloudWatchLogsSinkTest {

    @Test
    void theStreamKeyIsGroupAndStreamWhateverTheOrderOfTheEvents() throws Exception {
        KeySelector<CloudWatchEvent, String> keys = CloudWatchLogsSink.streamKeySelector();
        String[][] targets = {
            {"g1", "s1"},
            {"g1", "s1"},
            {"g1", "s2"},
            {"g2", "s2"},
            {"g2", "s2"},
            {"g1", "s1"},
            {null, "s1"},
            {null, null},
            {"g1", null},
            {"g1", null},
            {"g1", "s1"}
        };
        for (String[] t : targets) {
            // new string instances, as events read from the network carry
            String group = t[0] == null ? null : new String(t[0].toCharArray());
            String stream = t[1] == null ? null : new String(t[1].toCharArray());

            String key = keys.getKey(new CloudWatchEvent(group, stream, 1, "m"));

            assertThat(key).isEqualTo(CloudWatchLogsSink.streamKey(t[0], t[1]));
        }
    }

    @Test
    void consecutiveEventsOfOneStreamShareOneKeyInstance() throws Exception {
        KeySelector<CloudWatchEvent, String> keys = CloudWatchLogsSink.streamKeySelector();

        String first = keys.getKey(new CloudWatchEvent("g", new String("s".toCharArray()), 1, "a"));
        String second = keys.getKey(new CloudWatchEvent("g", new String("s".toCharArray()), 2, "b"));

        assertThat(second).isSameAs(first);
    }
}
