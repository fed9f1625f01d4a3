package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.spool.SourceKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pod metadata from the spool joined in keyed state: exact matches only, waiting bounded, opt-out honoured. */
class NodeProcessorEnrichmentTest {
    private static final String ID = "3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b";
    private static final String OTHER_ID = "9999999999999999999999999999999999999999999999999999999999999999";
    private static final String APP = "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + ID + ".log";
    private static final String LINE =
            "2024-05-14T09:12:03.123456789Z stdout F {\"level\":\"info\",\"msg\":\"order created\",\"orderId\":42}";
    private static final String FULL =
            "{\"time\":\"2024-05-14T09:12:03.123456789Z\",\"stream\":\"stdout\",\"_p\":\"F\","
                    + "\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"msg\\\":\\\"order created\\\",\\\"orderId\\\":42}\","
                    + "\"log_processed\":{\"level\":\"info\",\"msg\":\"order created\",\"orderId\":42},"
                    + "\"kubernetes\":{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\":\"shop\",\"pod_id\":\"5b0c1e9e-2d5f-4c55-9d7c-2f1f3e4a5b6c\","
                    + "\"host\":\"ip-192-168-12-34.us-west-2.compute.internal\",\"pod_ip\":\"192.168.20.7\",\"container_name\":\"orders\","
                    + "\"docker_id\":\"" + ID
                    + "\",\"container_hash\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders@sha256:ab12\","
                    + "\"container_image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\"}}";
    private static final String FROM_NAME =
            "{\"time\":\"2024-05-14T09:12:03.123456789Z\",\"stream\":\"stdout\",\"_p\":\"F\","
                    + "\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"msg\\\":\\\"order created\\\",\\\"orderId\\\":42}\","
                    + "\"log_processed\":{\"level\":\"info\",\"msg\":\"order created\",\"orderId\":42},"
                    + "\"kubernetes\":{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\":\"shop\",\"container_name\":\"orders\",\"docker_id\":\""
                    + ID + "\"}}";

    private NodeHarness node;

    private static String pod(String event, String name, String containerId, String annotations) {
        return "{\"event\":\"" + event + "\",\"observedAt\":1,\"namespace\":\"shop\",\"name\":\"" + name + "\","
                + "\"uid\":\"5b0c1e9e-2d5f-4c55-9d7c-2f1f3e4a5b6c\",\"podIp\":\"192.168.20.7\","
                + "\"nodeName\":\"ip-192-168-12-34.us-west-2.compute.internal\",\"labels\":{\"app\":\"orders\"},\"annotations\":"
                + annotations + ","
                + "\"containers\":[{\"name\":\"orders\",\"containerId\":\"" + containerId + "\","
                + "\"imageId\":\"docker-pullable://123456789012.dkr.ecr.us-west-2.amazonaws.com/orders@sha256:ab12\","
                + "\"image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\"}]}";
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
    }

    @Test
    void podMetadataBeforeTheLineGivesTheFullKubernetesBlock() throws Exception {
        node = new NodeHarness(JobOptions.defaults());
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        assertThat(node.messages(Category.APPLICATION)).containsExactly(FULL);
    }

    @Test
    void labelsAndAnnotationsAreOptIn() throws Exception {
        node = new NodeHarness(JobOptions.defaults().kubernetesLabelsAndAnnotations(true, false));
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{\"team\":\"shop\"}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        assertThat(node.messages(Category.APPLICATION).get(0))
                .contains(
                        "\"pod_id\":\"5b0c1e9e-2d5f-4c55-9d7c-2f1f3e4a5b6c\",\"labels\":{\"app\":\"orders\"},\"host\"")
                .doesNotContain("annotations");
    }

    @Test
    void aLineBeforeItsPodWaitsAndLeavesEnrichedWhenTheMetadataComes() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ofSeconds(10), 100));
        node.send(() -> node.line(APP, SourceKind.CONTAINER, LINE));
        node.send(() -> node.line(APP, SourceKind.CONTAINER, LINE.replace("42", "43")));
        assertThat(node.application()).isEmpty();
        node.advanceProcessingTime(2_000);
        node.send(() -> node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{}")));
        assertThat(node.messages(Category.APPLICATION)).containsExactly(FULL, FULL.replace("42", "43"));
    }

    @Test
    void whenTheWaitRunsOutTheLineLeavesWithTheFileNameFields() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ofSeconds(10), 100));
        node.send(() -> node.line(APP, SourceKind.CONTAINER, LINE));
        node.advanceProcessingTime(9_000);
        assertThat(node.application()).isEmpty();
        node.advanceProcessingTime(1_100);
        assertThat(node.messages(Category.APPLICATION)).containsExactly(FROM_NAME);
        assertThat(node.harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theWaitIsBoundedInMemory() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ofSeconds(10), 2));
        node.send(() -> {
            node.line(APP, SourceKind.CONTAINER, LINE);
            node.line(APP, SourceKind.CONTAINER, LINE);
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        // two wait, the third goes out at once with what the file name says
        assertThat(node.messages(Category.APPLICATION)).containsExactly(FROM_NAME);
    }

    @Test
    void onlyAnExactPodNameMatches() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0));
        node.send(() -> {
            // a pod with a similar name: the incumbent's prefix compare would take it
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4", ID, "{}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        assertThat(node.messages(Category.APPLICATION)).containsExactly(FROM_NAME);
    }

    /**
     * Fluent Bit finds the pod by name and its status entry by container name (kube_meta.c extract_container_hash),
     * so a line of a container id the status does not list (an earlier instance of the container) still gets the
     * pod's fields and that container's image, with the file's container id as docker_id.
     */
    @Test
    void aContainerIdThePodStatusLacksGetsThePodAndTheImageOfItsContainerName() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0));
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", OTHER_ID, "{}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        assertThat(node.messages(Category.APPLICATION)).containsExactly(FULL);
    }

    @Test
    void whenTheWaitForTheContainerIdRunsOutThePodsFieldsStillCome() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ofSeconds(10), 100));
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", OTHER_ID, "{}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        assertThat(node.application()).isEmpty();
        node.advanceProcessingTime(10_100);
        assertThat(node.messages(Category.APPLICATION)).containsExactly(FULL);
    }

    @Test
    void aPodWithoutAStatusOfTheFilesContainerNameGivesNoImage() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0));
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", OTHER_ID, "{}")
                    .replace("\"name\":\"orders\"", "\"name\":\"sidecar\""));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        assertThat(node.messages(Category.APPLICATION))
                .containsExactly(FULL.substring(0, FULL.indexOf(",\"container_hash\"")) + "}}");
    }

    /**
     * Fluent Bit's kubernetes filter looks for the container's image only in status.containerStatuses and
     * initContainerStatuses (kube_meta.c extract_container_hash), so a line of an ephemeral (debug) container gets the
     * pod's fields and the file's container id but neither container_hash nor container_image, whether its status
     * lists the line's id or not yet.
     */
    @ParameterizedTest
    @ValueSource(strings = {ID, OTHER_ID, ""})
    void anEphemeralContainersLinesGetNoImageFields(String statusId) throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0));
        node.send(() -> {
            node.pod(
                    pod("upsert", "orders-7d9c6b7f9d-x2m4q", statusId, "{}")
                            .replace(
                                    "\"image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\"}",
                                    "\"image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\",\"ephemeral\":true}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        assertThat(node.messages(Category.APPLICATION))
                .containsExactly(FULL.substring(0, FULL.indexOf(",\"container_hash\"")) + "}}");
    }

    @Test
    void theExcludeAnnotationOptsAPodOut() throws Exception {
        node = new NodeHarness(JobOptions.defaults());
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{\"kubelogs.dev/exclude\":\"true\"}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        assertThat(node.application()).isEmpty();
    }

    @Test
    void aDeletedPodsLastLinesStillGetItsMetadataAndThenItIsForgotten() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0));
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
            node.pod(pod("delete", "orders-7d9c6b7f9d-x2m4q", ID, "{}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        assertThat(node.messages(Category.APPLICATION)).containsExactly(FULL, FROM_NAME);
    }

    @Test
    void aPodAnnotationPicksTheMultilineRuleSet() throws Exception {
        node = new NodeHarness(JobOptions.defaults());
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{\"kubelogs.dev/multiline\":\"none\"}"));
            node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stderr F java.lang.RuntimeException: boom");
            node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stderr F \tat a.B.c(B.java:1)");
        });
        assertThat(node.application()).hasSize(2);
    }

    @Test
    void aPodAnnotationOptsIntoFluentBitsRubyRuleSet() throws Exception {
        node = new NodeHarness(JobOptions.defaults());
        String other = APP.replace("x2m4q", "k9k9k");
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{\"kubelogs.dev/multiline\":\"ruby\"}"));
            node.pod(pod("upsert", "orders-7d9c6b7f9d-k9k9k", ID, "{}"));
            for (String path : List.of(APP, other)) {
                node.line(
                        path,
                        SourceKind.CONTAINER,
                        "2024-05-14T09:12:03Z stderr F app/models/order.rb:12:in `total': boom (RuntimeError)");
                node.line(path, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stderr F \tfrom app/main.rb:5:in `<main>'");
            }
        });
        node.endOfInput();
        // ruby is opt-in: the pod without the annotation keeps the lines apart, as the default sets do
        assertThat(node.application())
                .extracting(e -> e.logStream.contains("x2m4q"))
                .containsExactlyInAnyOrder(true, false, false);
        assertThat(node.messages(Category.APPLICATION))
                .anySatisfy(
                        m -> assertThat(m)
                                .contains(
                                        "\"log\":\"app/models/order.rb:12:in `total': boom (RuntimeError)\\n\\tfrom app/main.rb:5:in `<main>'\""));
    }

    /**
     * The keyed stage keeps per-file facts derived from a pod (metadata block, exclusion, multiline rule sets) between
     * batches; every pod record must refresh them for the next batch of the same file.
     */
    @Test
    void aPodRecordBetweenBatchesOfOneFileChangesWhatItsNextLinesGet() throws Exception {
        node = new NodeHarness(JobOptions.defaults());
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{\"kubelogs.dev/multiline\":\"none\"}"));
            node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stderr F java.lang.RuntimeException: boom");
            node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stderr F \tat a.B.c(B.java:1)");
        });
        node.send(() -> {
            node.pod(pod("upsert", "orders-7d9c6b7f9d-x2m4q", ID, "{\"kubelogs.dev/exclude\":\"true\"}"));
            node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:04Z stdout F opted out");
        });
        node.send(() -> {
            node.pod(pod("delete", "orders-7d9c6b7f9d-x2m4q", ID, "{}"));
            node.line(APP, SourceKind.CONTAINER, LINE);
        });
        node.endOfInput();
        assertThat(node.messages(Category.APPLICATION)).hasSize(4);
        assertThat(node.messages(Category.APPLICATION).get(0)).isEqualTo(FULL);
        // multiline "none": the frame is not joined to the exception
        assertThat(node.messages(Category.APPLICATION).get(1)).contains("\"log\":\"java.lang.RuntimeException: boom\"");
        assertThat(node.messages(Category.APPLICATION).get(2)).contains("\"log\":\"\\tat a.B.c(B.java:1)\"");
        // excluded: "opted out" is gone; deleted: the file name's fields only
        assertThat(node.messages(Category.APPLICATION).get(3)).isEqualTo(FROM_NAME);
    }
}
