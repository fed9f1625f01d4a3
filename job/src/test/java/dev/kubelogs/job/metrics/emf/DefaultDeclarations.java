package dev.kubelogs.job.metrics.emf;

import dev.kubelogs.job.metrics.config.MetricDeclaration;
import java.util.List;

/**
 * The 14 {@code metric_declaration}s of the agent's EKS manifest (aws-samples/amazon-cloudwatch-container-insights,
 * {@code k8s-deployment-manifest-templates/deployment-mode/service/cwagent-prometheus/prometheus-eks.yaml}), as
 * transcribed in the reference's §4 table; dimension sets in the file's order.
 */
final class DefaultDeclarations {
    private DefaultDeclarations() {}

    private static MetricDeclaration d(
            List<String> source, String matcher, List<List<String>> dimensions, String... selectors) {
        return new MetricDeclaration(source, null, matcher, List.of(selectors), dimensions);
    }

    static final List<MetricDeclaration> ALL = List.of(
            // 1, 2: NGINX ingress
            d(
                    List.of("Service"),
                    ".*nginx.*",
                    List.of(List.of("Service", "Namespace", "ClusterName")),
                    "^nginx_ingress_controller_(requests|success)$",
                    "^nginx_ingress_controller_nginx_process_connections$",
                    "^nginx_ingress_controller_nginx_process_connections_total$",
                    "^nginx_ingress_controller_nginx_process_resident_memory_bytes$",
                    "^nginx_ingress_controller_nginx_process_cpu_seconds_total$",
                    "^nginx_ingress_controller_config_last_reload_successful$"),
            d(
                    List.of("Service"),
                    ".*nginx.*",
                    List.of(
                            List.of("Service", "Namespace", "ClusterName", "ingress"),
                            List.of("Service", "Namespace", "ClusterName", "status")),
                    "^nginx_ingress_controller_requests$"),
            // 3, 4, 5: HAProxy ingress
            d(
                    List.of("Service", "frontend"),
                    ".*haproxy-ingress-.*metrics;(httpfront-shared-frontend|httpfront-default-backend|httpsfront"
                            + "|_front_http)",
                    List.of(List.of("Service", "Namespace", "ClusterName", "frontend", "code")),
                    "^haproxy_frontend_http_responses_total$"),
            d(
                    List.of("Service", "backend"),
                    ".*haproxy-ingress-.*metrics",
                    List.of(List.of("Service", "Namespace", "ClusterName", "backend", "code")),
                    "^haproxy_backend_http_responses_total$"),
            d(
                    List.of("Service"),
                    ".*haproxy-ingress-.*metrics",
                    List.of(List.of("Service", "Namespace", "ClusterName")),
                    "^haproxy_backend_up$",
                    "^haproxy_backend_status$",
                    "^haproxy_backend_bytes_(in|out)_total$",
                    "^haproxy_backend_connections_total$",
                    "^haproxy_backend_connection_errors_total$",
                    "^haproxy_backend_current_sessions$",
                    "^haproxy_frontend_bytes_(in|out)_total$",
                    "^haproxy_frontend_connections_total$",
                    "^haproxy_frontend_http_requests_total$",
                    "^haproxy_frontend_request_errors_total$",
                    "^haproxy_frontend_requests_denied_total$",
                    "^haproxy_frontend_current_sessions$"),
            // 6, 7, 8: Memcached
            d(
                    List.of("Service"),
                    ".*memcached.*",
                    List.of(List.of("Service", "Namespace", "ClusterName")),
                    "^memcached_current_(bytes|items|connections)$",
                    "^memcached_items_(reclaimed|evicted)_total$",
                    "^memcached_(written|read)_bytes_total$",
                    "^memcached_limit_bytes$",
                    "^memcached_commands_total$"),
            d(
                    List.of("Service", "status", "command"),
                    ".*memcached.*;hit;get",
                    List.of(List.of("Service", "Namespace", "ClusterName", "status", "command")),
                    "^memcached_commands_total$"),
            d(
                    List.of("Service", "command"),
                    ".*memcached.*;(get|set)",
                    List.of(List.of("Service", "Namespace", "ClusterName", "command")),
                    "^memcached_commands_total$"),
            // 9, 10: App Mesh (Envoy)
            d(
                    List.of("container_name"),
                    "^envoy$",
                    List.of(List.of("ClusterName", "Namespace")),
                    "^envoy_http_downstream_rq_(total|xx)$",
                    "^envoy_cluster_upstream_cx_(r|t)x_bytes_total$",
                    "^envoy_cluster_membership_(healthy|total)$",
                    "^envoy_server_memory_(allocated|heap_size)$",
                    "^envoy_cluster_upstream_cx_(connect_timeout|destroy_local_with_active_rq)$",
                    "^envoy_cluster_upstream_rq_(pending_failure_eject|pending_overflow|timeout|per_try_timeout"
                            + "|rx_reset|maintenance_mode)$",
                    "^envoy_http_downstream_cx_destroy_remote_active_rq$",
                    "^envoy_cluster_upstream_flow_control_(paused_reading_total|resumed_reading_total"
                            + "|backed_up_total|drained_total)$",
                    "^envoy_cluster_upstream_rq_retry$",
                    "^envoy_cluster_upstream_rq_retry_(success|overflow)$",
                    "^envoy_server_(version|uptime|live)$"),
            d(
                    List.of("container_name"),
                    "^envoy$",
                    List.of(List.of(
                            "ClusterName", "Namespace", "envoy_http_conn_manager_prefix", "envoy_response_code_class")),
                    "^envoy_http_downstream_rq_xx$"),
            // 11: Fluent Bit
            d(
                    List.of("container_name"),
                    "^fluent-bit.*$",
                    List.of(List.of("ClusterName", "Namespace", "NodeName")),
                    "^fluentbit_output_errors_total$",
                    "^fluentbit_input_bytes_total$",
                    "^fluentbit_output_proc_bytes_total$",
                    "^fluentbit_input_records_total$",
                    "^fluentbit_output_proc_records_total$",
                    "^fluentbit_output_retries_(total|failed_total)$"),
            // 12, 13, 14: Java/JMX
            d(
                    List.of("job"),
                    "^kubernetes-pod-jmx$",
                    List.of(List.of("ClusterName", "Namespace")),
                    "^jvm_threads_(current|daemon)$",
                    "^jvm_classes_loaded$",
                    "^java_lang_operatingsystem_(freephysicalmemorysize|totalphysicalmemorysize|freeswapspacesize"
                            + "|totalswapspacesize|systemcpuload|processcpuload|availableprocessors"
                            + "|openfiledescriptorcount)$",
                    "^catalina_manager_(rejectedsessions|activesessions)$",
                    "^jvm_gc_collection_seconds_(count|sum)$",
                    "^catalina_globalrequestprocessor_(bytesreceived|bytessent|requestcount|errorcount"
                            + "|processingtime)$"),
            d(
                    List.of("job"),
                    "^kubernetes-pod-jmx$",
                    List.of(List.of("ClusterName", "Namespace", "area")),
                    "^jvm_memory_bytes_used$"),
            d(
                    List.of("job"),
                    "^kubernetes-pod-jmx$",
                    List.of(List.of("ClusterName", "Namespace", "pool")),
                    "^jvm_memory_pool_bytes_used$"));
}
