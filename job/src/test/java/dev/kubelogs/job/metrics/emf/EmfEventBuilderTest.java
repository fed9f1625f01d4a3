package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.job.metrics.config.CloudWatchAgentConfig;
import dev.kubelogs.job.metrics.config.EmfProcessorConfig;
import dev.kubelogs.job.metrics.config.MetricDeclaration;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmfEventBuilderTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NAN = Double.NaN;

    private final EmfCounters counters = new EmfCounters();

    private static SeriesGroup group(
            String stream, Labels labels, MetricType type, long ts, String[] names, double[] values) {
        return new SeriesGroup(stream, labels, type, ts, names, values, null);
    }

    private static List<CloudWatchEvent> build(EmfEventBuilder builder, SeriesGroup group) {
        List<CloudWatchEvent> out = new ArrayList<>();
        int n = builder.build(group, out::add);
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    private static final Labels APISERVER = Labels.of(
            "Namespace",
            "default",
            "Service",
            "kubernetes",
            "code",
            "0",
            "component",
            "apiserver",
            "contentType",
            "application/json",
            "instance",
            "192.0.2.0:443",
            "job",
            "kubernetes-apiservers",
            "resource",
            "pods",
            "scope",
            "namespace",
            "verb",
            "WATCH",
            "version",
            "v1");
    private static final MetricDeclaration APISERVER_DECLARATION = new MetricDeclaration(
            List.of("job"),
            null,
            "^kubernetes-apiservers$",
            List.of("^apiserver_request_total$"),
            List.of(List.of("ClusterName", "Service")));
    private static final SeriesGroup APISERVER_GROUP = group(
            "kubernetes-apiservers",
            APISERVER,
            MetricType.COUNTER,
            1592267020339L,
            new String[] {"apiserver_request_total", "apiserver_request_count"},
            new double[] {0, 0});

    /**
     * The reference's §6 example from the AWS docs (ContainerInsights-Prometheus-Setup-configure), verbatim. The
     * docs print the directive's members as Metrics, Dimensions, Namespace, an order Go's json.Marshal of the
     * exporter's struct cannot produce (it writes Namespace, Dimensions, Metrics): the bytes follow the exporter,
     * and the document is the same JSON value.
     */
    private static final String APISERVER_DOC = "{\n"
            + "   \"CloudWatchMetrics\":[{\"Metrics\":[{\"Name\":\"apiserver_request_total\"}],\n"
            + "                         \"Dimensions\":[[\"ClusterName\",\"Service\"]],\n"
            + "                         \"Namespace\":\"ContainerInsights/Prometheus\"}],\n"
            + "   \"ClusterName\":\"my-cluster-name\", \"Namespace\":\"default\", \"Service\":\"kubernetes\",\n"
            + "   \"Timestamp\":\"1592267020339\", \"Version\":\"0\",\n"
            + "   \"apiserver_request_count\":0, \"apiserver_request_total\":0,\n"
            + "   \"code\":\"0\", \"component\":\"apiserver\", \"contentType\":\"application/json\",\n"
            + "   \"instance\":\"192.0.2.0:443\", \"job\":\"kubernetes-apiservers\","
            + " \"prom_metric_type\":\"counter\",\n"
            + "   \"resource\":\"pods\", \"scope\":\"namespace\", \"verb\":\"WATCH\", \"version\":\"v1\"\n"
            + "}";

    @Test
    void apiserverExampleOfTheDocs() {
        EmfEventBuilder builder = EmfEventBuilder.builder("my-cluster-name")
                .declarations(List.of(APISERVER_DECLARATION))
                .build(counters);
        List<CloudWatchEvent> events = build(builder, APISERVER_GROUP);
        assertThat(events).hasSize(1);
        CloudWatchEvent e = events.get(0);
        assertThat(e.logGroup).isEqualTo("/aws/containerinsights/my-cluster-name/prometheus");
        assertThat(e.logStream).isEqualTo("kubernetes-apiservers");
        assertThat(e.timestamp).isEqualTo(1592267020339L);
        // as UTF-8 bytes, which the sink buffers as they are
        assertThat(e.message).isNull();
        assertThat(e.messageUtf8).isNotNull();
        assertThat(e.message())
                .isEqualTo("{\"CloudWatchMetrics\":[{\"Namespace\":\"ContainerInsights/Prometheus\","
                        + "\"Dimensions\":[[\"ClusterName\",\"Service\"]],"
                        + "\"Metrics\":[{\"Name\":\"apiserver_request_total\",\"Unit\":\"\",\"StorageResolution\":60}]}],"
                        + "\"ClusterName\":\"my-cluster-name\",\"Namespace\":\"default\",\"Service\":\"kubernetes\","
                        + "\"Timestamp\":\"1592267020339\",\"Version\":\"0\",\"apiserver_request_count\":0,"
                        + "\"code\":\"0\",\"component\":\"apiserver\","
                        + "\"contentType\":\"application/json\",\"instance\":\"192.0.2.0:443\","
                        + "\"job\":\"kubernetes-apiservers\","
                        + "\"prom_metric_type\":\"counter\",\"resource\":\"pods\",\"scope\":\"namespace\",\"verb\":\"WATCH\","
                        + "\"version\":\"v1\",\"apiserver_request_total\":0}");
        // the docs predate the exporter's cWMetricInfo, which writes every definition's Unit and StorageResolution
        com.fasterxml.jackson.databind.node.ObjectNode definition =
                (com.fasterxml.jackson.databind.node.ObjectNode) EmfAssertions.parse(e.message())
                        .get("CloudWatchMetrics")
                        .get(0)
                        .get("Metrics")
                        .get(0);
        assertThat(definition.remove(List.of("Unit", "StorageResolution")).toString())
                .isEqualTo("{\"Name\":\"apiserver_request_total\"}");
        com.fasterxml.jackson.databind.JsonNode withoutThem =
                EmfAssertions.parse(e.message().replace(",\"Unit\":\"\",\"StorageResolution\":60", ""));
        assertThat(withoutThem).isEqualTo(EmfAssertions.parse(APISERVER_DOC));
        assertThat(EmfAssertions.assertValid(e, EmfEventBuilder.DEFAULT_MAX_EVENT_BYTES))
                .isEqualTo(1);
        assertThat(counters.events.getCount()).isEqualTo(1);
    }

    @Test
    void apiserverExampleInTheDocumentedAwsForm() {
        EmfEventBuilder builder = EmfEventBuilder.builder("my-cluster-name")
                .format(EmfFormat.AWS)
                .declarations(List.of(APISERVER_DECLARATION))
                .build(counters);
        CloudWatchEvent e = build(builder, APISERVER_GROUP).get(0);
        assertThat(e.message())
                .isEqualTo("{\"ClusterName\":\"my-cluster-name\",\"Namespace\":\"default\","
                        + "\"Service\":\"kubernetes\",\"Version\":\"1\",\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":"
                        + "\"ContainerInsights/Prometheus\",\"Dimensions\":[[\"ClusterName\",\"Service\"]],\"Metrics\":"
                        + "[{\"Name\":\"apiserver_request_total\",\"Unit\":\"\",\"StorageResolution\":60}]}],\"Timestamp\":1592267020339},"
                        + "\"apiserver_request_count\":0,\"code\":\"0\","
                        + "\"component\":\"apiserver\","
                        + "\"contentType\":\"application/json\",\"instance\":\"192.0.2.0:443\","
                        + "\"job\":\"kubernetes-apiservers\","
                        + "\"prom_metric_type\":\"counter\",\"resource\":\"pods\",\"scope\":\"namespace\",\"verb\":\"WATCH\","
                        + "\"version\":\"v1\",\"apiserver_request_total\":0}");
        EmfAssertions.assertValid(e, EmfEventBuilder.DEFAULT_MAX_EVENT_BYTES);
        // without a declared metric the exporter's version 1 writes neither _aws nor a timestamp
        EmfEventBuilder plain =
                EmfEventBuilder.builder("c").format(EmfFormat.AWS).build(counters);
        assertThat(build(
                                plain,
                                group(
                                        "j",
                                        Labels.of("job", "j"),
                                        MetricType.GAUGE,
                                        7,
                                        new String[] {"g"},
                                        new double[] {1}))
                        .get(0)
                        .message())
                .isEqualTo("{\"ClusterName\":\"c\",\"g\":1,\"job\":\"j\",\"prom_metric_type\":\"gauge\"}");
    }

    private static final Labels MEMCACHED_TARGET = Labels.of(
            "Namespace",
            "memcached-sample",
            "Service",
            "my-memcached",
            "job",
            "kubernetes-service-endpoints",
            "instance",
            "192.168.12.34:9150");

    @Test
    void memcachedIllustrationOfTheReferenceWithTheDefaultDeclarations() {
        EmfEventBuilder builder = EmfEventBuilder.builder("my-cluster")
                .declarations(DefaultDeclarations.ALL)
                .build(counters);
        Labels series = MEMCACHED_TARGET.toBuilder()
                .set("command", "get")
                .set("status", "hit")
                .set("kubernetes_node", "ip-192-168-1-2.ec2.internal")
                .set("pod_name", "my-memcached-0")
                .set("container_name", "metrics")
                .build();
        CloudWatchEvent e = build(
                        builder,
                        group(
                                "kubernetes-service-endpoints",
                                series,
                                MetricType.COUNTER,
                                1700000000000L,
                                new String[] {"memcached_commands_total"},
                                new double[] {42}))
                .get(0);
        // the illustration's dimension order is the exporter's (declarations #6, #7, #8 in order); its key order
        // is not: json.Marshal sorts the keys
        assertThat(e.message())
                .isEqualTo("{\"CloudWatchMetrics\":[{\"Namespace\":\"ContainerInsights/Prometheus\","
                        + "\"Dimensions\":[[\"ClusterName\",\"Namespace\",\"Service\"],"
                        + "[\"ClusterName\",\"Namespace\",\"Service\",\"command\",\"status\"],"
                        + "[\"ClusterName\",\"Namespace\",\"Service\",\"command\"]],"
                        + "\"Metrics\":[{\"Name\":\"memcached_commands_total\",\"Unit\":\"\",\"StorageResolution\":60}]}],"
                        + "\"ClusterName\":\"my-cluster\",\"Namespace\":\"memcached-sample\",\"Service\":\"my-memcached\","
                        + "\"Timestamp\":\"1700000000000\",\"Version\":\"0\",\"command\":\"get\","
                        + "\"container_name\":\"metrics\","
                        + "\"instance\":\"192.168.12.34:9150\",\"job\":\"kubernetes-service-endpoints\","
                        + "\"kubernetes_node\":\"ip-192-168-1-2.ec2.internal\","
                        + "\"pod_name\":\"my-memcached-0\",\"prom_metric_type\":\"counter\",\"status\":\"hit\","
                        + "\"memcached_commands_total\":42}");
        EmfAssertions.assertValid(e, EmfEventBuilder.DEFAULT_MAX_EVENT_BYTES);

        CloudWatchEvent goroutines = build(
                        builder,
                        group(
                                "kubernetes-service-endpoints",
                                MEMCACHED_TARGET,
                                MetricType.GAUGE,
                                1700000000000L,
                                new String[] {"go_goroutines"},
                                new double[] {12}))
                .get(0);
        assertThat(goroutines.message())
                .isEqualTo("{\"ClusterName\":\"my-cluster\",\"Namespace\":\"memcached-sample\","
                        + "\"Service\":\"my-memcached\",\"Timestamp\":\"1700000000000\",\"Version\":\"0\",\"go_goroutines\":12,"
                        + "\"instance\":\"192.168.12.34:9150\",\"job\":\"kubernetes-service-endpoints\","
                        + "\"prom_metric_type\":\"gauge\"}");
    }

    @Test
    void aClusterNameTheSeriesCarriesIsKept() {
        EmfEventBuilder builder = EmfEventBuilder.builder("mine")
                .declarations(DefaultDeclarations.ALL)
                .build(counters);
        Labels series = MEMCACHED_TARGET.with("ClusterName", "theirs");
        JsonNode root = EmfAssertions.parse(build(
                        builder,
                        group("s", series, MetricType.GAUGE, 1, new String[] {"memcached_current_items"}, new double[] {
                            3
                        }))
                .get(0)
                .message());
        assertThat(root.get("ClusterName").asText()).isEqualTo("theirs");
        assertThat(root.get("CloudWatchMetrics").get(0).get("Dimensions").toString())
                .isEqualTo("[[\"ClusterName\",\"Namespace\",\"Service\"]]");
    }

    @Test
    void twoHundredFiftyDeclaredMetricsBecomeThreeValidEventsWithPlainFieldsInTheFirst() {
        MetricDeclaration all = new MetricDeclaration(
                List.of("job"), null, null, List.of("^m"), List.of(List.of("ClusterName", "Namespace")));
        EmfEventBuilder builder =
                EmfEventBuilder.builder("c").declarations(List.of(all)).build(counters);
        int n = 250;
        String[] names = new String[n + 2];
        double[] values = new double[n + 2];
        for (int i = 0; i < n; i++) {
            names[i] = String.format("m%03d", i);
            values[i] = i;
        }
        names[n] = "x1";
        names[n + 1] = "x2";
        values[n] = 1.5;
        values[n + 1] = 2.5;
        List<CloudWatchEvent> events = build(
                builder, group("big", Labels.of("job", "big", "Namespace", "ns"), MetricType.GAUGE, 9, names, values));
        assertThat(events).hasSize(3);
        List<Integer> metricsPerEvent = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (CloudWatchEvent e : events) {
            metricsPerEvent.add(EmfAssertions.assertValid(e, EmfEventBuilder.DEFAULT_MAX_EVENT_BYTES));
            JsonNode root = EmfAssertions.parse(e.message());
            assertThat(root.get("job").asText()).isEqualTo("big");
            assertThat(root.get("Namespace").asText()).isEqualTo("ns");
            root.fieldNames().forEachRemaining(f -> {
                if (f.startsWith("m") || f.startsWith("x")) {
                    assertThat(seen.add(f)).as("%s written once", f).isTrue();
                }
            });
        }
        assertThat(metricsPerEvent).containsExactly(100, 100, 50);
        assertThat(seen).hasSize(n + 2);
        assertThat(EmfAssertions.parse(events.get(0).message()).has("x1")).isTrue();
        assertThat(EmfAssertions.parse(events.get(0).message())
                        .get("CloudWatchMetrics")
                        .get(0)
                        .get("Metrics")
                        .get(0)
                        .get("Name")
                        .asText())
                .isEqualTo("m000");
        assertThat(counters.splitForMetricLimit.getCount()).isEqualTo(2);
        assertThat(counters.events.getCount()).isEqualTo(3);
    }

    @Test
    void eventsOverTheSizeLimitAreHalvedUntilTheyFitAndHopelessOnesCounted() {
        MetricDeclaration all =
                new MetricDeclaration(List.of("job"), null, null, List.of("^long"), List.of(List.of("job")));
        int limit = 2048;
        EmfEventBuilder builder = EmfEventBuilder.builder("c")
                .declarations(List.of(all))
                .maxEventBytes(limit)
                .build(counters);
        int n = 60;
        String[] names = new String[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            names[i] = "long_metric_name_that_takes_room_in_field_and_definition_" + i;
            values[i] = i * 0.5;
        }
        List<CloudWatchEvent> events =
                build(builder, group("j", Labels.of("job", "j"), MetricType.GAUGE, 1, names, values));
        int metrics = 0;
        for (CloudWatchEvent e : events) {
            metrics += EmfAssertions.assertValid(e, limit);
        }
        assertThat(metrics).isEqualTo(n);
        assertThat(events.size()).isGreaterThan(1);
        assertThat(counters.splitForSize.getCount()).isEqualTo(events.size() - 1);

        List<CloudWatchEvent> none = build(
                builder,
                group(
                        "j",
                        Labels.of("job", "j", "huge", "v".repeat(limit)),
                        MetricType.GAUGE,
                        1,
                        new String[] {"long_a", "long_b"},
                        new double[] {1, 2}));
        assertThat(none).isEmpty();
        assertThat(counters.oversizeDropped.getCount()).isEqualTo(2);
    }

    private static SeriesGroup histogram(double[] values) {
        return new SeriesGroup(
                "api",
                Labels.of("job", "api"),
                MetricType.HISTOGRAM,
                1700000000000L,
                new String[] {
                    "http_request_duration_seconds_bucket",
                    "http_request_duration_seconds_bucket",
                    "http_request_duration_seconds_bucket",
                    "http_request_duration_seconds_bucket",
                    "http_request_duration_seconds_sum",
                    "http_request_duration_seconds_count"
                },
                values,
                new double[] {0.1, 0.5, 1, INF, NAN, NAN});
    }

    @Test
    void aHistogramBecomesAValuesAndCountsMetric() {
        MetricDeclaration d = new MetricDeclaration(
                List.of("job"),
                null,
                null,
                List.of("^http_request_duration_seconds$"),
                List.of(List.of("ClusterName", "job")));
        EmfEventBuilder builder = EmfEventBuilder.builder("c")
                .declarations(List.of(d))
                .metricUnits(Map.of("http_request_duration_seconds", "Seconds"))
                .build(counters);
        CloudWatchEvent e =
                build(builder, histogram(new double[] {3, 8, 8, 10, 4.2, 10})).get(0);
        assertThat(e.message())
                .isEqualTo("{\"CloudWatchMetrics\":[{\"Namespace\":\"ContainerInsights/Prometheus\","
                        + "\"Dimensions\":[[\"ClusterName\",\"job\"]],"
                        + "\"Metrics\":[{\"Name\":\"http_request_duration_seconds\",\"Unit\":\"Seconds\",\"StorageResolution\":60}]}],"
                        + "\"ClusterName\":\"c\",\"Timestamp\":\"1700000000000\",\"Version\":\"0\","
                        + "\"http_request_duration_seconds_count\":10,\"http_request_duration_seconds_sum\":4.2,"
                        + "\"job\":\"api\",\"prom_metric_type\":\"histogram\","
                        + "\"http_request_duration_seconds\":{\"Values\":[0.05,0.3,1],\"Counts\":[3,5,2],\"Max\":1,"
                        + "\"Min\":0.05,\"Count\":10,\"Sum\":4.2}}");
        EmfAssertions.assertValid(e, EmfEventBuilder.DEFAULT_MAX_EVENT_BYTES);

        // no observation this scrape: no distribution, the zero _count and _sum still written
        CloudWatchEvent idle =
                build(builder, histogram(new double[] {0, 0, 0, 0, 0, 0})).get(0);
        assertThat(idle.message())
                .isEqualTo("{\"ClusterName\":\"c\",\"Timestamp\":\"1700000000000\",\"Version\":\"0\","
                        + "\"http_request_duration_seconds_count\":0,\"http_request_duration_seconds_sum\":0,"
                        + "\"job\":\"api\",\"prom_metric_type\":\"histogram\"}");
        assertThat(counters.histogramsWithoutObservations.getCount()).isEqualTo(1);

        build(builder, histogram(new double[] {5, 3, 8, 10, 4.2, 10}));
        assertThat(counters.histogramsInconsistent.getCount()).isEqualTo(1);
    }

    @Test
    void withoutUndeclaredMetricsTheyStayOutOfTheLogGroupCounted() {
        EmfEventBuilder builder = EmfEventBuilder.builder("c")
                .declarations(DefaultDeclarations.ALL)
                .emitUndeclared(false)
                .build(counters);
        assertThat(build(
                        builder,
                        group("s", MEMCACHED_TARGET, MetricType.GAUGE, 1, new String[] {"go_goroutines"}, new double[] {
                            12
                        })))
                .isEmpty();
        assertThat(counters.undeclaredEventsDropped.getCount()).isEqualTo(1);
        assertThat(counters.undeclaredFieldsDropped.getCount()).isEqualTo(1);

        CloudWatchEvent e = build(
                        builder,
                        group(
                                "s",
                                MEMCACHED_TARGET,
                                MetricType.GAUGE,
                                1,
                                new String[] {"memcached_current_items", "memcached_malloced_bytes"},
                                new double[] {3, 4}))
                .get(0);
        JsonNode root = EmfAssertions.parse(e.message());
        assertThat(root.has("memcached_current_items")).isTrue();
        assertThat(root.has("memcached_malloced_bytes")).isFalse();
        assertThat(counters.undeclaredFieldsDropped.getCount()).isEqualTo(2);

        // the agent's default writes both
        EmfEventBuilder agent = EmfEventBuilder.builder("c")
                .declarations(DefaultDeclarations.ALL)
                .build();
        assertThat(EmfAssertions.parse(build(
                                        agent,
                                        group(
                                                "s",
                                                MEMCACHED_TARGET,
                                                MetricType.GAUGE,
                                                1,
                                                new String[] {"memcached_current_items", "memcached_malloced_bytes"},
                                                new double[] {3, 4}))
                                .get(0)
                                .message())
                        .has("memcached_malloced_bytes"))
                .isTrue();
    }

    @Test
    void aRepeatedNameKeepsItsLastValueAndADistributionTakesItsFamilysPlaceBothCounted() {
        EmfEventBuilder builder = EmfEventBuilder.builder("c").build(counters);
        SeriesGroup g = new SeriesGroup(
                "j",
                Labels.of("job", "j"),
                MetricType.HISTOGRAM,
                1,
                new String[] {"x", "b", "x_bucket", "x_sum", "b", "x_bucket", "a"},
                new double[] {7, 1, 3, 4.2, 2, 5, 9},
                new double[] {NAN, NAN, 0.1, NAN, NAN, INF, NAN});

        JsonNode root = EmfAssertions.parse(build(builder, g).get(0).message());

        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertThat(keys)
                .containsExactly(
                        "ClusterName", "Timestamp", "Version", "a", "b", "job", "prom_metric_type", "x", "x_sum");
        assertThat(root.get("b").asDouble()).isEqualTo(2);
        assertThat(root.get("x").get("Count").asDouble()).isEqualTo(5);
        assertThat(root.get("x").get("Sum").asDouble()).isEqualTo(4.2);
        assertThat(counters.duplicateNames.getCount()).isEqualTo(2);
    }

    @Test
    void withoutDeclarationsAndWithoutUndeclaredMetricsNothingIsWrittenCounted() {
        EmfEventBuilder builder =
                EmfEventBuilder.builder("c").emitUndeclared(false).build(counters);
        assertThat(build(
                        builder,
                        group("j", Labels.of("job", "j"), MetricType.GAUGE, 1, new String[] {"b", "a"}, new double[] {
                            1, 2
                        })))
                .isEmpty();
        assertThat(counters.undeclaredFieldsDropped.getCount()).isEqualTo(2);
        assertThat(counters.undeclaredEventsDropped.getCount()).isEqualTo(1);
    }

    @Test
    void nonFiniteValuesAreSkippedAndCounted() {
        EmfEventBuilder builder = EmfEventBuilder.builder("c").build(counters);
        CloudWatchEvent e = build(
                        builder,
                        group(
                                "j",
                                Labels.of("job", "j"),
                                MetricType.GAUGE,
                                1,
                                new String[] {"a", "b", "c"},
                                new double[] {NAN, 1, INF}))
                .get(0);
        assertThat(e.message())
                .isEqualTo("{\"ClusterName\":\"c\",\"Timestamp\":\"1\",\"Version\":\"0\",\"b\":1,\"job\":\"j\","
                        + "\"prom_metric_type\":\"gauge\"}");
        assertThat(counters.nonFiniteSkipped.getCount()).isEqualTo(2);
        assertThat(build(
                        builder,
                        group("j", Labels.of("job", "j"), MetricType.GAUGE, 1, new String[] {"a"}, new double[] {NAN})))
                .isEmpty();
    }

    @Test
    void theAgentFileSetsClusterLogGroupNamespaceUnitsAndDeclarations() {
        CloudWatchAgentConfig config = new CloudWatchAgentConfig(
                "from-file",
                "/custom/group",
                null,
                new EmfProcessorConfig(
                        "My/NS", Map.of("apiserver_request_total", "Count"), List.of(APISERVER_DECLARATION)));
        EmfEventBuilder builder =
                EmfEventBuilder.builder("from-job").agentConfig(config).build(counters);
        CloudWatchEvent e = build(builder, APISERVER_GROUP).get(0);
        assertThat(e.logGroup).isEqualTo("/custom/group");
        JsonNode root = EmfAssertions.parse(e.message());
        assertThat(root.get("ClusterName").asText()).isEqualTo("from-file");
        assertThat(root.get("CloudWatchMetrics").toString())
                .isEqualTo("[{\"Namespace\":\"My/NS\",\"Dimensions\":"
                        + "[[\"ClusterName\",\"Service\"]],\"Metrics\":[{\"Name\":\"apiserver_request_total\","
                        + "\"Unit\":\"Count\",\"StorageResolution\":60}]}]");
    }

    @Test
    void badSettingsAreErrorsNamingThem() {
        assertThatThrownBy(() -> EmfEventBuilder.builder("").build()).hasMessageContaining("cluster name");
        assertThatThrownBy(() -> EmfEventBuilder.builder("c")
                        .metricUnits(Map.of("m", "Furlongs"))
                        .build())
                .hasMessageContaining("emf_processor.metric_unit.m: 'Furlongs'");
        assertThatThrownBy(() -> EmfEventBuilder.builder("c").maxEventBytes(10).build())
                .hasMessageContaining("maxEventBytes");
    }
}
