package dev.kubelogs.job.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.merge.StageHarness;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.PodEntry;
import dev.kubelogs.spool.SegmentHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The output stage alone: side output, log group and stream per category; oversize events; dead letters. */
class EventOutputTest {
    private static final String KEY = "prod/node-1";
    private static final int MAX_EVENT_BYTES = 200;

    /** {@code category|message} leaves as one event of that category; {@code dead|reason} as a dead letter. */
    static final class OutputOnly extends KeyedProcessFunction<String, String, Void> {
        private final boolean split;
        private transient StageContext stage;
        private transient EventOutput events;

        OutputOnly(boolean split) {
            this.split = split;
        }

        @Override
        public void open(OpenContext openContext) {
            stage = new StageContext();
            events = new EventOutput("/aws/containerinsights", split, MAX_EVENT_BYTES);
            events.open(getRuntimeContext().getMetricGroup().addGroup("kubelogs"));
        }

        @Override
        public void processElement(String element, Context ctx, Collector<Void> out) throws Exception {
            stage.bind(ctx);
            String[] kv = element.split("\\|", 2);
            if (kv[0].equals("dead")) {
                SegmentHeader header = new SegmentHeader("prod", "node-1", 4, 1L, Map.of());
                byte[] notJson = "{oops".getBytes(StandardCharsets.UTF_8);
                SpoolRecord pod = SpoolRecord.pod(header, 3, new PodEntry(notJson, 9L));
                events.deadLetter(stage, pod, kv[1]);
                return;
            }
            events.emit(
                    stage,
                    Category.valueOf(kv[0]),
                    "prod",
                    "stream-a",
                    5L,
                    kv[1].getBytes(StandardCharsets.UTF_8),
                    "file-1",
                    42L);
        }
    }

    private static StageHarness<String, Void> harness(boolean split) throws Exception {
        return new StageHarness<>(() -> new OutputOnly(split), e -> KEY);
    }

    @Test
    void eachCategoryLeavesOnItsSideOutputUnderItsClustersLogGroup() throws Exception {
        try (StageHarness<String, Void> stage = harness(true)) {
            stage.send("HOST|{\"message\":\"a\"}");
            stage.send("APPLICATION|{\"log\":\"b\"}");
            assertThat(stage.events(Category.HOST)).singleElement().satisfies(e -> {
                assertThat(e.logGroup).isEqualTo("/aws/containerinsights/prod/host");
                assertThat(e.logStream).isEqualTo("stream-a");
                assertThat(e.message()).isEqualTo("{\"message\":\"a\"}");
            });
            assertThat(stage.events(Category.APPLICATION))
                    .extracting(e -> e.logGroup)
                    .containsExactly("/aws/containerinsights/prod/application");
            assertThat(stage.counter("events_host")).isEqualTo(1);
            assertThat(stage.counter("events_application")).isEqualTo(1);
        }
    }

    @Test
    void anEventOverTheEventSizeLeavesInPartsOrWholeAsConfigured() throws Exception {
        String big = "{\"log\":\"" + "x".repeat(300) + "\"}";
        try (StageHarness<String, Void> stage = harness(true)) {
            stage.send("APPLICATION|" + big);
            List<CloudWatchEvent> parts = stage.events(Category.APPLICATION);
            assertThat(parts).hasSizeGreaterThan(1);
            StringBuilder log = new StringBuilder();
            for (CloudWatchEvent part : parts) {
                log.append(Json.MAPPER.readTree(part.message()).get("log").textValue());
            }
            assertThat(log.toString()).isEqualTo("x".repeat(300));
            assertThat(stage.counter("splitEvents")).isEqualTo(1);
            assertThat(stage.counter("events_application")).isEqualTo(parts.size());
        }
        try (StageHarness<String, Void> stage = harness(false)) {
            stage.send("APPLICATION|" + big);
            assertThat(stage.events(Category.APPLICATION))
                    .extracting(e -> e.message())
                    .containsExactly(big);
            assertThat(stage.counter("oversizeEvents")).isEqualTo(1);
        }
    }

    @Test
    void aDeadLetterCarriesTheReasonTheRecordAndItsRawBytes() throws Exception {
        try (StageHarness<String, Void> stage = harness(true)) {
            stage.send("dead|unreadable pod metadata record");
            CloudWatchEvent e = stage.events(Category.DEAD_LETTER).get(0);
            assertThat(e.logGroup).isEqualTo("/aws/containerinsights/prod/kubelogs-dead-letter");
            assertThat(e.logStream).isEqualTo("node-1");
            assertThat(Json.MAPPER.readTree(e.message()).get("reason").textValue())
                    .isEqualTo("unreadable pod metadata record");
            assertThat(Json.MAPPER.readTree(e.message()).get("raw").textValue()).isEqualTo("{oops");
            assertThat(Json.MAPPER.readTree(e.message()).get("segment").longValue())
                    .isEqualTo(4);
            assertThat(stage.counter("deadLetters")).isEqualTo(1);
        }
    }
}
