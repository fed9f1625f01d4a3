package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.enrich.MetadataJoin;
import dev.kubelogs.job.enrich.NodeAttributes;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.multiline.MultilineBuffers;
import dev.kubelogs.job.multiline.SplitLineJoiner;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.route.EventOutput;
import dev.kubelogs.job.route.RoutingRules;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A container line's way through the stages, with the stages it calls but without segment order and replay
 * dedupe: the file's route, parsing, multiline, the application or dataplane event, and the counts on the way.
 */
class ContainerLinesTest {
    private static final SegmentHeader HEADER = new SegmentHeader("prod", "node-1", 0, 1L, Map.of("az", "us-west-2a"));
    private static final String APP = "/var/log/containers/orders-1_shop_orders-" + "a".repeat(64) + ".log";

    /** Sends each LINES batch (no metadata wait) through ContainerLines, like NodeProcessor does. */
    static final class ContainersOnly extends KeyedProcessFunction<String, SpoolRecord, Void> {
        private transient StageContext stage;
        private transient NodeAttributes attributes;
        private transient MultilineBuffers multiline;
        private transient ContainerLines containers;

        @Override
        public void open(OpenContext openContext) {
            MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("kubelogs");
            stage = new StageContext();
            SplitLineJoiner splitLines = new SplitLineJoiner(2_000_000);
            splitLines.open(getRuntimeContext());
            multiline = new MultilineBuffers(Duration.ofSeconds(4), Duration.ofSeconds(4), 2_000_000, true, List.of());
            multiline.open(getRuntimeContext(), metrics);
            MetadataJoin metadata = new MetadataJoin(Duration.ZERO, 0, false, false);
            metadata.open(getRuntimeContext(), metrics);
            attributes = new NodeAttributes();
            attributes.open(getRuntimeContext());
            EventOutput events = new EventOutput("/aws/containerinsights", true, 262_144);
            events.open(metrics);
            containers = new ContainerLines(
                    RoutingRules.containerInsightsDefaults(),
                    dev.kubelogs.job.parse.Parsers.defaults(),
                    stage,
                    splitLines,
                    multiline,
                    metadata,
                    attributes,
                    events,
                    metrics);
        }

        @Override
        public void processElement(SpoolRecord batch, Context ctx, Collector<Void> out) throws Exception {
            stage.bind(ctx);
            if (batch.type == SpoolRecord.SEGMENT) {
                attributes.remember(batch);
                return;
            }
            ContainerFile file = containers.file(batch.path);
            for (int i = 0; i < batch.lineCount(); i++) {
                containers.line(new BatchLine(batch, i, batch.fileIdentity()), file);
            }
            multiline.endBatch(stage, batch.lineReadTime(batch.lineCount() - 1));
        }
    }

    private StageHarness<SpoolRecord, Void> stage;

    @BeforeEach
    void setUp() throws Exception {
        stage = new StageHarness<>(ContainersOnly::new, SpoolRecord::nodeKey);
        stage.send(SpoolRecord.segmentStart(HEADER));
    }

    @AfterEach
    void tearDown() throws Exception {
        stage.close();
    }

    private void send(String path, String... lines) throws Exception {
        FileRef file = new FileRef(path, 2049, path.hashCode(), 0, SourceKind.CONTAINER);
        stage.send(StageHarness.lines(HEADER, file, 0, 1_700_000_000_000L, lines));
    }

    private static String cri(String text) {
        return "2024-05-14T09:12:03Z stderr F " + text;
    }

    private static String field(CloudWatchEvent e, String name) throws Exception {
        return Json.MAPPER.readTree(e.message()).path(name).asText(null);
    }

    @Test
    void anExcludedFileGivesNothingAndIsCounted() throws Exception {
        send("/var/log/containers/fluentd-x_kube-system_fluentd-" + "b".repeat(64) + ".log", cri("hello"));
        assertThat(stage.events(Category.APPLICATION)).isEmpty();
        assertThat(stage.events(Category.DATAPLANE)).isEmpty();
        assertThat(stage.counter("excludedLines")).isEqualTo(1);
    }

    @Test
    void aDataplaneFilesLinesLeaveOnTheDataplaneStreamWithTheNodesAttributes() throws Exception {
        send("/var/log/containers/aws-node-x_kube-system_aws-node-" + "c".repeat(64) + ".log", cri("ipamd up"));
        CloudWatchEvent e = stage.events(Category.DATAPLANE).get(0);
        assertThat(e.logStream).startsWith("node-1-dataplane.tail.");
        assertThat(field(e, "log")).isEqualTo("ipamd up");
        assertThat(field(e, "az")).isEqualTo("us-west-2a");
    }

    @Test
    void aStackTraceLeavesAsOneJoinedApplicationEventWithTheFileNamesKubernetesBlock() throws Exception {
        send(APP, cri("java.lang.IllegalStateException: boom"), cri("\tat a.B.c(B.java:1)"), cri("done"));
        List<CloudWatchEvent> app = stage.events(Category.APPLICATION);
        assertThat(app)
                .extracting(e -> field(e, "log"))
                .containsExactly("java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)", "done");
        assertThat(Json.MAPPER
                        .readTree(app.get(0).message())
                        .path("kubernetes")
                        .path("pod_name")
                        .asText())
                .isEqualTo("orders-1");
        assertThat(stage.counter("joinedRecords")).isEqualTo(1);
    }

    @Test
    void anUnparsedLineFlushesWhatItsFileHasPendingAndLeavesAsIs() throws Exception {
        send(APP, cri("java.lang.IllegalStateException: boom"), "no runtime prefix");
        assertThat(stage.events(Category.APPLICATION))
                .extracting(e -> field(e, "log"))
                .containsExactly("java.lang.IllegalStateException: boom", "no runtime prefix");
        assertThat(stage.counter("unparsedContainerLines")).isEqualTo(1);
    }

    @Test
    void aFileNameOffTheKubeletPatternLeavesItsRecordWithoutKubernetesBlock() throws Exception {
        send("/var/log/containers/not-a-kubelet-name.log", cri("plain"));
        CloudWatchEvent e = stage.events(Category.APPLICATION).get(0);
        assertThat(field(e, "log")).isEqualTo("plain");
        assertThat(Json.MAPPER.readTree(e.message()).has("kubernetes")).isFalse();
    }
}
