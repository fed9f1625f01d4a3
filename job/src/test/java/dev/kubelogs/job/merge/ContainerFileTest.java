package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.job.enrich.MetadataJoin;
import dev.kubelogs.job.enrich.ParserAnnotations;
import dev.kubelogs.job.multiline.MultilineBuffers;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.Parsers;
import dev.kubelogs.job.route.RoutingRules;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.PodEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContainerFileTest {
    private static final SegmentHeader HEADER = new SegmentHeader("prod", "node-1", 0, 1L, Map.of());
    private static final String ID = "c".repeat(64);
    private static final String OLD_ID = "d".repeat(64);
    private static final String PATH = "/var/log/containers/orders-1_shop_orders-" + ID + ".log";

    private static ContainerFile file(String path) {
        return new ContainerFile(
                path,
                RoutingRules.containerInsightsDefaults().routeContainerFile(path),
                ContainerFile.PathNames.of("node-1", path));
    }

    @Test
    void aKubeletFileNameGivesItsContainerKeyRouteAndStreamNames() {
        ContainerFile f = file(PATH);
        assertThat(f.containerKey).isEqualTo("shop/orders-1/" + ID);
        assertThat(f.route).isEqualTo(RoutingRules.ContainerRoute.APPLICATION);
        assertThat(f.names.applicationStream())
                .isEqualTo("node-1-application.var.log.containers.orders-1_shop_orders-" + ID + ".log");
        assertThat(f.names.fileName().containerName()).isEqualTo("orders");

        ContainerFile awsNode = file("/var/log/containers/aws-node-x1_kube-system_aws-node-" + ID + ".log");
        assertThat(awsNode.route).isEqualTo(RoutingRules.ContainerRoute.DATAPLANE);
        assertThat(awsNode.names.dataplaneStream())
                .isEqualTo("node-1-dataplane.tail.var.log.containers.aws-node-x1_kube-system_aws-node-" + ID + ".log");
    }

    @Test
    void aFileNameOffTheKubeletPatternHasNoContainerKeyNorParsers() {
        ContainerFile f = file("/var/log/containers/not-a-kubelet-name.log");
        assertThat(f.names.fileName()).isNull();
        assertThat(f.containerKey).isNull();
        assertThat(f.parsers(Parsers.defaults())).isSameAs(ParserAnnotations.Chosen.NONE);
    }

    @Test
    void bufferKeysSeparateStreamsAndFileIdentities() {
        ContainerFile f = file(PATH);
        assertThat(f.bufferKey("2049:7:0", "stdout")).isEqualTo("2049:7:0|stdout");
        assertThat(f.bufferKey("2049:7:0", "stderr")).isEqualTo("2049:7:0|stderr");
        assertThat(f.bufferKey("2049:7:0", "stdout")).isSameAs(f.bufferKey("2049:7:0", "stdout"));
        // a rotated file (a new identity at the same path) must not join into the old file's buffer
        assertThat(f.bufferKey("2049:8:0", "stdout")).isEqualTo("2049:8:0|stdout");
        assertThat(f.bufferKey("2049:8:0", "stderr")).isEqualTo("2049:8:0|stderr");
        assertThat(f.bufferKey("2049:7:0", "stderr")).isEqualTo("2049:7:0|stderr");
        assertThat(f.bufferKey("2049:7:0", "other")).isEqualTo("2049:7:0|other");
    }

    @Test
    void withoutMetadataTheKubernetesBlockIsTheFileNamesFields() throws Exception {
        JsonNode k = Json.MAPPER.readTree(file(PATH).fileNameKubernetesJson());
        assertThat(k.get("pod_name").textValue()).isEqualTo("orders-1");
        assertThat(k.get("namespace_name").textValue()).isEqualTo("shop");
        assertThat(k.get("container_name").textValue()).isEqualTo("orders");
        assertThat(k.get("docker_id").textValue()).isEqualTo(ID);
        assertThat(k.size()).isEqualTo(4);
    }

    /**
     * POD records go to the metadata join; a LINE record makes one {@link ContainerFile} of {@link #PATH}, kept across
     * records as the keyed stage keeps it, refresh its pod and report what it then knows.
     */
    static final class FileProbe extends KeyedProcessFunction<String, SpoolRecord, String> {
        private transient StageContext stage;
        private transient MetadataJoin metadata;
        private transient MultilineBuffers multiline;
        private transient ContainerFile file;

        @Override
        public void open(OpenContext openContext) {
            stage = new StageContext();
            metadata = new MetadataJoin(Duration.ofSeconds(10), 100, false, false);
            metadata.open(
                    getRuntimeContext(), getRuntimeContext().getMetricGroup().addGroup("kubelogs"));
            multiline = new MultilineBuffers(Duration.ofSeconds(4), Duration.ofSeconds(4), 2_000_000, true, List.of());
            multiline.open(
                    getRuntimeContext(), getRuntimeContext().getMetricGroup().addGroup("kubelogs"));
            file = file(PATH);
        }

        @Override
        public void processElement(SpoolRecord r, Context ctx, Collector<String> out) throws Exception {
            stage.bind(ctx);
            if (r.type == SpoolRecord.POD) {
                metadata.onPod(stage, metadata.read(r), (e, record, kubernetes) -> {});
                return;
            }
            file.refreshPod(stage, metadata, multiline);
            ParserAnnotations.Chosen parsers = file.parsers(Parsers.defaults());
            out.collect("pod=" + (file.pod == null ? "-" : "known")
                    + " container=" + (file.container == null ? "-" : file.container.image())
                    + " excluded=" + file.podExcluded
                    + " kubernetes=" + image(file.kubernetesJson)
                    + " withoutStatus=" + image(file.kubernetesJsonWithoutStatus(metadata))
                    + " parser="
                    + (parsers.stdout() == null ? "-" : parsers.stdout().name()));
        }

        /** The block's container_image, "file-name" for the file name's fields, "-" for none. */
        private static String image(String kubernetesJson) throws Exception {
            if (kubernetesJson == null) {
                return "-";
            }
            JsonNode k = Json.MAPPER.readTree(kubernetesJson);
            assertThat(k.get("pod_name").textValue()).isEqualTo("orders-1");
            assertThat(k.get("docker_id").textValue()).isEqualTo(ID);
            return k.has("container_image") ? k.get("container_image").textValue() : "file-name";
        }
    }

    private StageHarness<SpoolRecord, String> stage;

    @AfterEach
    void tearDown() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    private void line() throws Exception {
        FileRef file = new FileRef(PATH, 2049, 7, 0, SourceKind.CONTAINER);
        stage.send(SpoolRecord.line(HEADER, 1, new LineEntry(file, 0, "x".getBytes(StandardCharsets.UTF_8), 0, 1L)));
    }

    private void pod(String containerId, String image, String annotations) throws Exception {
        String json = "{\"event\":\"upsert\",\"observedAt\":1,\"namespace\":\"shop\",\"name\":\"orders-1\","
                + "\"uid\":\"u-1\",\"labels\":{},\"annotations\":{" + annotations + "},"
                + "\"containers\":[{\"name\":\"orders\",\"containerId\":\"" + containerId + "\",\"image\":\"" + image
                + "\"}]}";
        stage.send(SpoolRecord.pod(HEADER, 1, new PodEntry(json.getBytes(StandardCharsets.UTF_8), 1L)));
    }

    @Test
    void eachPodRecordIsSeenByTheFileAtItsNextLine() throws Exception {
        stage = new StageHarness<>(FileProbe::new, SpoolRecord::nodeKey);
        line();
        pod(ID, "orders:1", "");
        line();
        pod(ID, "orders:2", "\"fluentbit.io/parser\":\"syslog\"");
        line();
        pod(ID, "orders:2", "\"kubelogs.dev/exclude\":\"true\"");
        line();
        assertThat(stage.take())
                .containsExactly(
                        "pod=- container=- excluded=false kubernetes=- withoutStatus=file-name parser=-",
                        "pod=known container=orders:1 excluded=false kubernetes=orders:1 withoutStatus=orders:1"
                                + " parser=-",
                        "pod=known container=orders:2 excluded=false kubernetes=orders:2 withoutStatus=orders:2"
                                + " parser=syslog",
                        "pod=known container=orders:2 excluded=true kubernetes=orders:2 withoutStatus=orders:2"
                                + " parser=-");
    }

    @Test
    void aContainerTheStatusDoesNotListYetGetsThePodsFieldsAndItsNamesakesImage() throws Exception {
        stage = new StageHarness<>(FileProbe::new, SpoolRecord::nodeKey);
        pod(OLD_ID, "orders:1", "");
        line();
        assertThat(stage.take())
                .containsExactly("pod=known container=- excluded=false kubernetes=- withoutStatus=orders:1 parser=-");
    }
}
