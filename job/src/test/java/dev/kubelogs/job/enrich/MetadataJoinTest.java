package dev.kubelogs.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.merge.StageHarness;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.PodEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metadata join alone: records that come before their pod wait for it (bounded), in their container's order. */
class MetadataJoinTest {
    private static final SegmentHeader HEADER = new SegmentHeader("prod", "node-1", 0, 1L, Map.of());
    private static final String ID = "c".repeat(64);
    private static final String PATH = "/var/log/containers/orders-1_shop_orders-" + ID + ".log";
    private static final String CONTAINER_KEY = "shop/orders-1/" + ID;

    /**
     * POD records go to the join; a LINE is an application record {@code {"log": text}} that leaves at once when its
     * pod is known and nothing of its container waits, else is parked. Collects {@code text <pod name or "-">}.
     */
    static final class JoinOnly extends KeyedProcessFunction<String, SpoolRecord, String> {
        private final int maxAwaiting;
        private transient StageContext stage;
        private transient MetadataJoin metadata;

        JoinOnly(int maxAwaiting) {
            this.maxAwaiting = maxAwaiting;
        }

        @Override
        public void open(OpenContext openContext) {
            stage = new StageContext();
            metadata = new MetadataJoin(Duration.ofSeconds(10), maxAwaiting, true, false);
            metadata.open(
                    getRuntimeContext(), getRuntimeContext().getMetricGroup().addGroup("kubelogs"));
        }

        private static MetadataJoin.Released to(Collector<String> out) {
            return (e, record, kubernetes) -> out.collect(record.get("log").textValue() + " "
                    + (kubernetes == null
                            ? "-"
                            : Json.MAPPER.readTree(kubernetes).get("pod_name").textValue()));
        }

        @Override
        public void processElement(SpoolRecord r, Context ctx, Collector<String> out) throws Exception {
            stage.bind(ctx);
            if (r.type == SpoolRecord.POD) {
                metadata.onPod(stage, metadata.read(r), to(out));
                return;
            }
            String text = new String(r.data, StandardCharsets.UTF_8);
            PodMetadata pod = metadata.pod(stage, "shop", "orders-1");
            if (pod != null && pod.container(ID) != null && !metadata.queued(stage, CONTAINER_KEY)) {
                out.collect(text + " "
                        + Json.MAPPER
                                .readTree(metadata.kubernetesJson(pod, pod.container(ID)))
                                .get("pod_name")
                                .textValue());
            } else if (!metadata.park(
                    stage,
                    CONTAINER_KEY,
                    "prod",
                    "node-1",
                    r.path,
                    r.fileIdentity(),
                    LineRecord.of(JsonNodeFactory.instance.objectNode().put("log", text)),
                    5L,
                    r.offset)) {
                out.collect(text + " -");
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
            stage.bind(ctx);
            if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
                metadata.releaseAll(stage, to(out));
            } else {
                metadata.releaseExpired(stage, to(out));
            }
        }
    }

    private StageHarness<SpoolRecord, String> stage;
    private long offset;

    private void start(int maxAwaiting) throws Exception {
        stage = new StageHarness<>(() -> new JoinOnly(maxAwaiting), SpoolRecord::nodeKey);
    }

    @AfterEach
    void tearDown() throws Exception {
        stage.close();
    }

    private void line(String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        FileRef file = new FileRef(PATH, 2049, 7, 0, SourceKind.CONTAINER);
        stage.send(SpoolRecord.line(HEADER, 1, new LineEntry(file, offset, bytes, 0, 1L)));
        offset += bytes.length + 1;
    }

    private void pod() throws Exception {
        String json = "{\"event\":\"upsert\",\"observedAt\":1,\"namespace\":\"shop\",\"name\":\"orders-1\","
                + "\"uid\":\"u-1\",\"labels\":{},\"annotations\":{},"
                + "\"containers\":[{\"name\":\"orders\",\"containerId\":\"" + ID + "\",\"image\":\"orders:1\"}]}";
        stage.send(SpoolRecord.pod(HEADER, 1, new PodEntry(json.getBytes(StandardCharsets.UTF_8), 1L)));
    }

    @Test
    void recordsBeforeTheirPodWaitAndLeaveWithItInOrder() throws Exception {
        start(100);
        line("a");
        line("b");
        assertThat(stage.take()).isEmpty();
        assertThat(stage.counter("awaitedMetadata")).isEqualTo(2);

        pod();
        line("c");
        assertThat(stage.take()).containsExactly("a orders-1", "b orders-1", "c orders-1");
        assertThat(stage.counter("podRecords")).isEqualTo(1);
    }

    @Test
    void aRecordWhoseWaitRunsOutLeavesWithoutMetadata() throws Exception {
        start(100);
        line("a");
        stage.advanceProcessingTime(9_000);
        assertThat(stage.take()).isEmpty();
        stage.advanceProcessingTime(1_100);
        assertThat(stage.take()).containsExactly("a -");
        assertThat(stage.counter("missingMetadata")).isEqualTo(1);
    }

    @Test
    void pastTheNodesBudgetARecordLeavesAtOnceWithoutMetadata() throws Exception {
        start(1);
        line("a");
        line("b");
        assertThat(stage.take()).containsExactly("b -");
        assertThat(stage.counter("missingMetadata")).isEqualTo(1);
    }

    @Test
    void parkedRecordsAreRestoredFromASnapshotAndLeaveAtTheEndOfInput() throws Exception {
        start(100);
        line("a");
        stage.restart(stage.snapshot());
        stage.endOfInput();
        assertThat(stage.take()).containsExactly("a -");
    }
}
