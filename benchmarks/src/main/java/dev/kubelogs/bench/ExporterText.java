package dev.kubelogs.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The exposition text of one bench target, as an instrumented service with a client library exports it: HTTP
 * request counters, a request-duration histogram, an RPC summary, per-queue gauges and process gauges, 1,000
 * series in all. Counters grow on every scrape (so each scrape yields deltas), gauges move.
 *
 * <p>What the pipeline makes of one scrape (the agent's grouping: one group per label set and type): the counter,
 * histogram and summary {@code _sum}/{@code _count} groups prime on a target's first scrape and emit an event on
 * every later one; the gauge and quantile groups emit one on every scrape. Each group is one EMF event.
 */
public final class ExporterText {
    static final String[] HANDLERS = {
        "/api/orders",
        "/api/orders/{id}",
        "/api/cart",
        "/api/cart/items",
        "/api/users",
        "/api/users/{id}",
        "/api/search",
        "/api/payments",
        "/healthz",
        "/metrics"
    };
    static final String[] METHODS = {"GET", "POST"};
    static final String[] CODES = {"200", "201", "404", "500", "503"};
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    static final String[] QUANTILES = {"0.5", "0.9", "0.99"};
    static final int SERVICES = 10;
    static final int QUEUES = 240;
    static final String[] PROCESS_GAUGES = {
        "process_resident_memory_bytes",
        "process_virtual_memory_bytes",
        "process_open_fds",
        "process_max_fds",
        "process_start_time_seconds",
        "go_goroutines",
        "go_threads",
        "go_memstats_heap_alloc_bytes",
        "go_memstats_heap_inuse_bytes",
        "go_memstats_stack_inuse_bytes"
    };

    /** Series in one scrape. */
    public static final int SERIES = HANDLERS.length * METHODS.length * CODES.length * 2
            + HANDLERS.length * METHODS.length * (BUCKETS.length + 3)
            + SERVICES * (QUANTILES.length + 2)
            + QUEUES * 2
            + PROCESS_GAUGES.length;
    /** Groups that emit only from a target's second scrape on (their samples are counter-like). */
    public static final int PRIMING_GROUPS =
            HANDLERS.length * METHODS.length * CODES.length + HANDLERS.length * METHODS.length + SERVICES;
    /** Groups that emit on every scrape. */
    public static final int GAUGE_GROUPS = SERVICES * QUANTILES.length + QUEUES + 1;
    /** Series whose previous value the delta stage keeps (counters, histogram series, summary sum and count). */
    public static final int COUNTER_LIKE_SERIES = HANDLERS.length * METHODS.length * CODES.length * 2
            + HANDLERS.length * METHODS.length * (BUCKETS.length + 3)
            + SERVICES * 2;

    private ExporterText() {}

    /** EMF events the pipeline makes from {@code scrapes} successful scrapes of one target. */
    public static long eventsFor(long scrapes) {
        return scrapes <= 0 ? 0 : scrapes * GAUGE_GROUPS + (scrapes - 1) * PRIMING_GROUPS;
    }

    /** The body of scrape number {@code scrape} (0, 1, …) of target {@code target}, UTF-8. */
    public static byte[] render(int target, long scrape) {
        StringBuilder b = new StringBuilder(SERIES * 96);
        long k = scrape + 1;
        family(b, "http_requests_total", "counter", "Total HTTP requests.");
        forRequests(b, "http_requests_total", (h, m, c) -> (h + 1) * (m + 2) * (c + 1) * k + target);
        family(b, "http_response_size_bytes_total", "counter", "Total bytes of HTTP responses.");
        forRequests(b, "http_response_size_bytes_total", (h, m, c) -> ((h + 1) * 517L + c * 31L) * k);
        family(b, "http_request_duration_seconds", "histogram", "HTTP request latency.");
        for (int h = 0; h < HANDLERS.length; h++) {
            for (int m = 0; m < METHODS.length; m++) {
                String labels = "handler=\"" + HANDLERS[h] + "\",method=\"" + METHODS[m] + "\"";
                long count = (h + m + 3) * 40L * k;
                for (int i = 0; i < BUCKETS.length; i++) {
                    line(
                            b,
                            "http_request_duration_seconds_bucket",
                            labels + ",le=\"" + BUCKETS[i] + "\"",
                            count * (i + 1) / (BUCKETS.length + 1));
                }
                line(b, "http_request_duration_seconds_bucket", labels + ",le=\"+Inf\"", count);
                line(b, "http_request_duration_seconds_sum", labels, count * 0.0731);
                line(b, "http_request_duration_seconds_count", labels, count);
            }
        }
        family(b, "rpc_duration_seconds", "summary", "RPC latency.");
        for (int s = 0; s < SERVICES; s++) {
            String labels = "service=\"backend-" + s + "\"";
            for (int q = 0; q < QUANTILES.length; q++) {
                line(
                        b,
                        "rpc_duration_seconds",
                        labels + ",quantile=\"" + QUANTILES[q] + "\"",
                        0.001 * (q + 1) * (1 + (scrape + s) % 7));
            }
            line(b, "rpc_duration_seconds_sum", labels, 12.5 * k * (s + 1));
            line(b, "rpc_duration_seconds_count", labels, 900L * k * (s + 1));
        }
        family(b, "queue_depth", "gauge", "Items waiting in the queue.");
        for (int q = 0; q < QUEUES; q++) {
            line(b, "queue_depth", "queue=\"q-" + q + "\"", (q * 7 + scrape * 13) % 500);
        }
        family(b, "queue_capacity", "gauge", "Capacity of the queue.");
        for (int q = 0; q < QUEUES; q++) {
            line(b, "queue_capacity", "queue=\"q-" + q + "\"", 500);
        }
        for (int g = 0; g < PROCESS_GAUGES.length; g++) {
            family(b, PROCESS_GAUGES[g], "gauge", "Process gauge.");
            line(b, PROCESS_GAUGES[g], null, 1.0e6 * (g + 1) + scrape % 100);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private interface RequestValue {
        long at(int handler, int method, int code);
    }

    private static void forRequests(StringBuilder b, String name, RequestValue value) {
        for (int h = 0; h < HANDLERS.length; h++) {
            for (int m = 0; m < METHODS.length; m++) {
                for (int c = 0; c < CODES.length; c++) {
                    line(
                            b,
                            name,
                            "handler=\"" + HANDLERS[h] + "\",method=\"" + METHODS[m] + "\",code=\"" + CODES[c] + "\"",
                            value.at(h, m, c));
                }
            }
        }
    }

    private static void family(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void line(StringBuilder b, String name, String labels, double value) {
        b.append(name);
        if (labels != null) {
            b.append('{').append(labels).append('}');
        }
        b.append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            b.append((long) value);
        } else {
            b.append(String.format(Locale.ROOT, "%.6g", value));
        }
        b.append('\n');
    }
}
