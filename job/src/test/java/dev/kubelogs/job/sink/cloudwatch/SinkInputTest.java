package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkInputTest {
    private static final String GROUP = "/aws/containerinsights/prod/application";
    private static final SinkWriter.Context NO_CONTEXT = NoWriterContext.INSTANCE;

    @TempDir
    Path deadLetters;

    /** An exactly-once writer: it only buffers until the barrier, so its endpoint is never called here. */
    private CloudWatchLogsSinkWriter writer() {
        return new CloudWatchLogsSinkWriter(
                SinkTestSupport.localBuilder(URI.create("http://127.0.0.1:1"), deadLetters)
                        .build()
                        .config(),
                CloudWatchLogsSinkWriterTest.context(0, 1, new CloudWatchLogsSinkWriterTest.ManualTime()));
    }

    private static List<String> messages(CloudWatchLogsSinkWriter w) throws Exception {
        return w.prepareCommit().stream()
                .flatMap(c -> c.events().stream())
                .map(SinkEvent::message)
                .toList();
    }

    @Test
    void anEventRecordIsOneEvent() throws Exception {
        try (CloudWatchLogsSinkWriter w = writer()) {
            SinkInput.EVENTS.write(new CloudWatchEvent(GROUP, "s", 1, "{\"log\":\"a\"}"), w, NO_CONTEXT);
            SinkInput.EVENTS.write(new CloudWatchEvent(GROUP, "s", 2, "{\"log\":\"b\"}"), w, NO_CONTEXT);
            assertThat(w.bufferedEvents()).isEqualTo(2);
            assertThat(messages(w)).containsExactly("{\"log\":\"a\"}", "{\"log\":\"b\"}");
        }
    }

    @Test
    void aBundleRecordIsEachOfItsEventsInOrder() throws Exception {
        CloudWatchEventBundle bundle = new CloudWatchEventBundle(GROUP, "s");
        for (String m : List.of("one", "two", "three")) {
            bundle.add(5, ("{\"log\":\"" + m + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        try (CloudWatchLogsSinkWriter w = writer()) {
            SinkInput.BUNDLES.write(bundle, w, NO_CONTEXT);
            SinkInput.BUNDLES.write(new CloudWatchEventBundle(GROUP, "s"), w, NO_CONTEXT);
            assertThat(w.bufferedEvents()).isEqualTo(3);
            assertThat(messages(w)).containsExactly("{\"log\":\"one\"}", "{\"log\":\"two\"}", "{\"log\":\"three\"}");
        }
    }

    @Test
    void bothKindsStayTheSameInstancesAfterTheJobGraphIsShipped() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(InstantiationUtil.clone(SinkInput.EVENTS, loader)).isSameAs(SinkInput.EVENTS);
        assertThat(InstantiationUtil.clone(SinkInput.BUNDLES, loader)).isSameAs(SinkInput.BUNDLES);
    }
}
