package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.MetricDeclaration;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclarationMatcherTest {
    private static final DeclarationMatcher DEFAULTS = new DeclarationMatcher(DefaultDeclarations.ALL);

    private static EventLabels labels(MetricType type, String... namesAndValues) {
        return EventLabels.of(Labels.of(namesAndValues), "my-cluster", type);
    }

    private static List<List<String>> sets(List<String>... sets) {
        return List.of(sets);
    }

    @Test
    void nginxRequestsGetTheUnionOfBothDeclarationsThreeSets() {
        EventLabels l = labels(
                MetricType.COUNTER,
                "Service",
                "nginx-ingress-nginx-controller-metrics",
                "Namespace",
                "nginx-ingress-sample",
                "ingress",
                "shop",
                "status",
                "200",
                "method",
                "GET",
                "job",
                "kubernetes-service-endpoints");
        assertThat(DEFAULTS.match(l, List.of("nginx_ingress_controller_requests")))
                .containsExactly(new Directive(
                        sets(
                                List.of("ClusterName", "Namespace", "Service"),
                                List.of("ClusterName", "Namespace", "Service", "ingress"),
                                List.of("ClusterName", "Namespace", "Service", "status")),
                        List.of("nginx_ingress_controller_requests")));
        EventLabels gauge = labels(
                MetricType.GAUGE,
                "Service",
                "nginx-ingress-nginx-controller-metrics",
                "Namespace",
                "nginx-ingress-sample",
                "state",
                "active");
        assertThat(DEFAULTS.match(gauge, List.of("nginx_ingress_controller_nginx_process_connections")))
                .containsExactly(new Directive(
                        sets(List.of("ClusterName", "Namespace", "Service")),
                        List.of("nginx_ingress_controller_nginx_process_connections")));
    }

    @Test
    void memcachedHitGetGetsThreeSetsInDeclarationOrderAndHitSetTwo() {
        EventLabels hitGet = labels(
                MetricType.COUNTER,
                "Service",
                "my-memcached",
                "Namespace",
                "memcached-sample",
                "command",
                "get",
                "status",
                "hit");
        assertThat(DEFAULTS.match(hitGet, List.of("memcached_commands_total")))
                .containsExactly(new Directive(
                        sets(
                                List.of("ClusterName", "Namespace", "Service"),
                                List.of("ClusterName", "Namespace", "Service", "command", "status"),
                                List.of("ClusterName", "Namespace", "Service", "command")),
                        List.of("memcached_commands_total")));
        EventLabels hitSet = labels(
                MetricType.COUNTER,
                "Service",
                "my-memcached",
                "Namespace",
                "memcached-sample",
                "command",
                "set",
                "status",
                "hit");
        assertThat(DEFAULTS.match(hitSet, List.of("memcached_commands_total"))
                        .get(0)
                        .dimensionSets())
                .isEqualTo(sets(
                        List.of("ClusterName", "Namespace", "Service"),
                        List.of("ClusterName", "Namespace", "Service", "command")));
        EventLabels flush = labels(
                MetricType.COUNTER,
                "Service",
                "my-memcached",
                "Namespace",
                "memcached-sample",
                "command",
                "flush",
                "status",
                "hit");
        assertThat(DEFAULTS.match(flush, List.of("memcached_commands_total"))
                        .get(0)
                        .dimensionSets())
                .isEqualTo(sets(List.of("ClusterName", "Namespace", "Service")));
    }

    @Test
    void haproxyFrontendAndBackendSeries() {
        String service = "haproxy-ingress-controller-metrics";
        EventLabels front = labels(
                MetricType.COUNTER,
                "Service",
                service,
                "Namespace",
                "haproxy-ingress-sample",
                "frontend",
                "httpfront-default-backend",
                "code",
                "2xx");
        assertThat(DEFAULTS.match(front, List.of("haproxy_frontend_http_responses_total")))
                .containsExactly(new Directive(
                        sets(List.of("ClusterName", "Namespace", "Service", "code", "frontend")),
                        List.of("haproxy_frontend_http_responses_total")));
        EventLabels otherFront = labels(
                MetricType.COUNTER,
                "Service",
                service,
                "Namespace",
                "haproxy-ingress-sample",
                "frontend",
                "stats",
                "code",
                "2xx");
        assertThat(DEFAULTS.match(otherFront, List.of("haproxy_frontend_http_responses_total")))
                .isEmpty();
        EventLabels back = labels(
                MetricType.COUNTER,
                "Service",
                service,
                "Namespace",
                "haproxy-ingress-sample",
                "backend",
                "httpback-default-backend",
                "code",
                "5xx");
        assertThat(DEFAULTS.match(back, List.of("haproxy_backend_http_responses_total")))
                .containsExactly(new Directive(
                        sets(List.of("ClusterName", "Namespace", "Service", "backend", "code")),
                        List.of("haproxy_backend_http_responses_total")));
        EventLabels up = labels(
                MetricType.GAUGE,
                "Service",
                service,
                "Namespace",
                "haproxy-ingress-sample",
                "backend",
                "httpback-default-backend");
        assertThat(DEFAULTS.match(up, List.of("haproxy_backend_current_sessions", "haproxy_backend_up")))
                .containsExactly(new Directive(
                        sets(List.of("ClusterName", "Namespace", "Service")),
                        List.of("haproxy_backend_current_sessions", "haproxy_backend_up")));
    }

    @Test
    void envoyFluentBitAndJmxSeries() {
        EventLabels envoy = labels(
                MetricType.COUNTER,
                "container_name",
                "envoy",
                "Namespace",
                "appmesh-demo",
                "envoy_http_conn_manager_prefix",
                "ingress",
                "envoy_response_code_class",
                "2");
        assertThat(DEFAULTS.match(envoy, List.of("envoy_http_downstream_rq_xx")))
                .containsExactly(new Directive(
                        sets(
                                List.of("ClusterName", "Namespace"),
                                List.of(
                                        "ClusterName",
                                        "Namespace",
                                        "envoy_http_conn_manager_prefix",
                                        "envoy_response_code_class")),
                        List.of("envoy_http_downstream_rq_xx")));
        EventLabels fluentBit = labels(
                MetricType.COUNTER,
                "container_name",
                "fluent-bit",
                "Namespace",
                "amazon-cloudwatch",
                "NodeName",
                "ip-192-168-1-2.ec2.internal",
                "name",
                "tail.0");
        assertThat(DEFAULTS.match(fluentBit, List.of("fluentbit_input_bytes_total", "fluentbit_uptime")))
                .containsExactly(new Directive(
                        sets(List.of("ClusterName", "Namespace", "NodeName")), List.of("fluentbit_input_bytes_total")));
        EventLabels heap = labels(MetricType.GAUGE, "job", "kubernetes-pod-jmx", "Namespace", "tomcat", "area", "heap");
        assertThat(DEFAULTS.match(heap, List.of("jvm_memory_bytes_used")))
                .containsExactly(new Directive(
                        sets(List.of("ClusterName", "Namespace", "area")), List.of("jvm_memory_bytes_used")));
        EventLabels pool =
                labels(MetricType.GAUGE, "job", "kubernetes-pod-jmx", "Namespace", "tomcat", "pool", "Eden Space");
        assertThat(DEFAULTS.match(pool, List.of("jvm_memory_pool_bytes_used")))
                .containsExactly(new Directive(
                        sets(List.of("ClusterName", "Namespace", "pool")), List.of("jvm_memory_pool_bytes_used")));
        EventLabels threads = labels(MetricType.GAUGE, "job", "kubernetes-pod-jmx", "Namespace", "tomcat");
        assertThat(DEFAULTS.match(threads, List.of("jvm_classes_loaded", "jvm_threads_current")))
                .containsExactly(new Directive(
                        sets(List.of("ClusterName", "Namespace")),
                        List.of("jvm_classes_loaded", "jvm_threads_current")));
    }

    @Test
    void aSetNamingAnAbsentLabelIsDroppedAndAMetricWithNoSetLeftIsUndeclared() {
        // no Namespace label: every default set names it
        EventLabels noNamespace = labels(MetricType.GAUGE, "Service", "my-memcached");
        assertThat(DEFAULTS.match(noNamespace, List.of("memcached_current_items")))
                .isEmpty();
        // ClusterName counts as present although the series does not carry it: the event gets it
        EventLabels withNamespace = labels(MetricType.GAUGE, "Service", "my-memcached", "Namespace", "m");
        assertThat(DEFAULTS.match(withNamespace, List.of("memcached_current_items")))
                .hasSize(1);
    }

    @Test
    void matcherAndSelectorsAreUnanchoredAndAMissingSourceLabelIsEmpty() {
        MetricDeclaration d =
                new MetricDeclaration(List.of("a", "b"), null, "x;$", List.of("total"), List.of(List.of("a")));
        DeclarationMatcher m = new DeclarationMatcher(List.of(d));
        assertThat(m.match(labels(MetricType.COUNTER, "a", "wxyz"), List.of("requests_total_count")))
                .isEmpty();
        assertThat(m.match(labels(MetricType.COUNTER, "a", "max"), List.of("requests_total_count")))
                .containsExactly(new Directive(sets(List.of("a")), List.of("requests_total_count")));
        assertThat(m.match(labels(MetricType.COUNTER, "a", "max", "b", "1"), List.of("requests_total")))
                .isEmpty();
    }

    @Test
    void regexesMeanWhatGoMeans() {
        // Go's $ is the end of the text (Java's also matches before a final line break), Go's . excludes only \n
        // (Java's also \r, U+0085, U+2028, U+2029), and Go knows POSIX classes inside brackets
        MetricDeclaration envoy =
                new MetricDeclaration(List.of("container_name"), null, "^envoy$", List.of("^m$"), List.of(List.of()));
        DeclarationMatcher m = new DeclarationMatcher(List.of(envoy));
        assertThat(m.match(labels(MetricType.GAUGE, "container_name", "envoy\n"), List.of("m")))
                .isEmpty();
        assertThat(m.match(labels(MetricType.GAUGE, "container_name", "envoy"), List.of("m")))
                .hasSize(1);
        MetricDeclaration dot =
                new MetricDeclaration(List.of("Service"), null, "^.*nginx", List.of("m"), List.of(List.of()));
        assertThat(new DeclarationMatcher(List.of(dot))
                        .match(labels(MetricType.GAUGE, "Service", "a\r\u2028nginx"), List.of("m")))
                .hasSize(1);
        MetricDeclaration posix = new MetricDeclaration(
                List.of("code"), null, "^[[:digit:]]xx$", List.of("^m[[:alpha:]]$"), List.of(List.of()));
        DeclarationMatcher p = new DeclarationMatcher(List.of(posix));
        assertThat(p.match(labels(MetricType.GAUGE, "code", "5xx"), List.of("mq")))
                .hasSize(1);
        assertThat(p.match(labels(MetricType.GAUGE, "code", ":xx"), List.of("mq")))
                .isEmpty();
        assertThat(p.match(labels(MetricType.GAUGE, "code", "5xx"), List.of("m:")))
                .isEmpty();
    }

    @Test
    void defaultMatcherMatchesEverythingAndSeparatorIsConfigurable() {
        MetricDeclaration any = new MetricDeclaration(List.of("nope"), null, null, List.of("^m$"), List.of(List.of()));
        assertThat(new DeclarationMatcher(List.of(any)).match(labels(MetricType.GAUGE), List.of("m")))
                .containsExactly(new Directive(sets(List.of()), List.of("m")));
        MetricDeclaration pipe =
                new MetricDeclaration(List.of("a", "b"), "|", "^1\\|2$", List.of("m"), List.of(List.of("a", "b")));
        assertThat(new DeclarationMatcher(List.of(pipe))
                        .match(labels(MetricType.GAUGE, "a", "1", "b", "2"), List.of("m")))
                .hasSize(1);
    }

    @Test
    void setsAreSortedDedupedAndPromMetricTypeIsALabel() {
        MetricDeclaration d = new MetricDeclaration(
                List.of("prom_metric_type"),
                null,
                "^counter$",
                List.of("."),
                List.of(List.of("b", "a", "b"), List.of("a", "b"), List.of("prom_metric_type")));
        DeclarationMatcher m = new DeclarationMatcher(List.of(d));
        assertThat(m.match(labels(MetricType.COUNTER, "a", "1", "b", "2"), List.of("x")))
                .containsExactly(new Directive(sets(List.of("a", "b"), List.of("prom_metric_type")), List.of("x")));
        assertThat(m.match(labels(MetricType.GAUGE, "a", "1", "b", "2"), List.of("x")))
                .isEmpty();
    }

    @Test
    void metricsMatchingTheSameDeclarationsShareADirectiveInNameOrder() {
        // the exporter groups metrics by the list of declarations they match
        // (groupedMetricToCWMeasurementsWithFilters),
        // so equal dimension lists from different declarations are separate directives
        MetricDeclaration one =
                new MetricDeclaration(List.of("job"), null, null, List.of("^a", "^c"), List.of(List.of("job")));
        MetricDeclaration two = new MetricDeclaration(
                List.of("job"), null, null, List.of("^b"), List.of(List.of("job"), List.of("job", "absent")));
        MetricDeclaration three =
                new MetricDeclaration(List.of("job"), null, null, List.of("^c"), List.of(List.of("job", "k")));
        DeclarationMatcher m = new DeclarationMatcher(List.of(one, two, three));
        EventLabels l = labels(MetricType.GAUGE, "job", "j", "k", "v");
        assertThat(m.match(l, List.of("a1", "a2", "b1", "c1", "d1")))
                .containsExactly(
                        new Directive(sets(List.of("job")), List.of("a1", "a2")),
                        new Directive(sets(List.of("job")), List.of("b1")),
                        new Directive(sets(List.of("job"), List.of("job", "k")), List.of("c1")));
    }

    @Test
    void cachedResultsStayRightAcrossManyLabelValuesAndNames() {
        MetricDeclaration d =
                new MetricDeclaration(List.of("svc"), null, "^keep", List.of("_total$"), List.of(List.of("svc")));
        DeclarationMatcher m = new DeclarationMatcher(List.of(d));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 3 * DeclarationMatcher.CACHE_ENTRIES; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(7));
        for (int i : order) {
            String svc = (i % 2 == 0 ? "keep-" : "skip-") + i;
            String name = "m" + i + (i % 3 == 0 ? "_total" : "_sum");
            boolean expected = i % 2 == 0 && i % 3 == 0;
            assertThat(m.match(labels(MetricType.COUNTER, "svc", svc), List.of(name))
                            .isEmpty())
                    .isEqualTo(!expected);
        }
    }

    @Test
    void withoutSourceLabelsADeclarationAppliesToEveryEvent() {
        // the agent passes no label matcher to its exporter then, and a declaration without one matches all labels
        MetricDeclaration any =
                new MetricDeclaration(List.of(), null, "^never$", List.of("^m$"), List.of(List.of("job")));
        assertThat(new DeclarationMatcher(List.of(any)).match(labels(MetricType.GAUGE, "job", "j"), List.of("m")))
                .containsExactly(new Directive(sets(List.of("job")), List.of("m")));
    }

    @Test
    void badDeclarationsAreErrorsNamingThem() {
        assertThatThrownBy(() -> new DeclarationMatcher(
                        List.of(new MetricDeclaration(List.of("a"), null, null, List.of(), List.of()))))
                .hasMessageContaining("metric_declaration[0]: metric_selectors");
        assertThatThrownBy(() -> new DeclarationMatcher(
                        List.of(new MetricDeclaration(List.of("a"), null, "(", List.of("x"), List.of()))))
                .hasMessageContaining("metric_declaration[0].label_matcher: invalid regex '('");
        // the exporter drops sets of more than 10 names, counted before duplicates are removed
        List<String> eleven = new ArrayList<>(Collections.nCopies(10, "d"));
        eleven.add("e");
        assertThatThrownBy(() -> new DeclarationMatcher(List.of(
                        new MetricDeclaration(List.of("a"), null, null, List.of("x"), List.of(List.of("a"), eleven)))))
                .hasMessageContaining("metric_declaration[0].dimensions[1] names 11 dimensions");
    }
}
