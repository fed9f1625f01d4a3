package dev.kubelogs.bench.jmh;

import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The committer's request body ({@link PutLogEventsBody}) per event, for the two kinds of event the sink sends:
 * Container Insights application events (~700 B, a quote every ~15 bytes, the stream's events sharing their
 * kubernetes block) and the metrics pipeline's EMF events (~600 B, a quote every ~5 bytes, little shared).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PutLogEventsBodyBench {
    static final int EVENTS = 1_000;

    @Param({"container-insights", "emf"})
    public String shape;

    private List<SinkEvent> events;
    private List<Integer> all;

    @Setup
    public void setup() {
        events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            String message = shape.equals("emf") ? emf(i) : containerInsights(i);
            events.add(new SinkEvent(1_700_000_000_000L + i, message, "bench", i));
        }
        all = IntStream.range(0, EVENTS).boxed().collect(Collectors.toList());
    }

    private final IterationCpu cpu = new IterationCpu();

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int body() {
        cpu.add(EVENTS);
        return PutLogEventsBody.of("/aws/containerinsights/prod/application", "stream", events, all)
                .length();
    }

    @TearDown(Level.Iteration)
    public void printCpu() {
        cpu.endIteration("events");
    }

    static String containerInsights(long i) {
        return "{\"log\":\"2026-11-25T09:12:03.123Z INFO  [http-nio-8080-exec-7] c.e.orders.OrderController - order id="
                + i + " created for customer 4711 in 12 ms\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-25T09:12:03."
                + String.format(Locale.ROOT, "%09d", i)
                + "Z\",\"kubernetes\":{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\","
                + "\"namespace_name\":\"shop\",\"pod_id\":\"5b0c1e9e-2d5f-4c55-9d7c-2f1f3e4a5b60\","
                + "\"host\":\"ip-192-168-12-34.us-west-2.compute.internal\",\"pod_ip\":\"192.168.20.7\","
                + "\"container_name\":\"orders\",\"docker_id\":\"" + "3f1e9a00".repeat(8) + "\","
                + "\"container_hash\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders@sha256:"
                + "ab12cd34ef56".repeat(5) + "ab12\","
                + "\"container_image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\"}}";
    }

    /** The agent's EMF event for one label set of a histogram-free scrape: names, dimensions, labels and values. */
    static String emf(long i) {
        return "{\"CloudWatchMetrics\":[{\"Namespace\":\"ContainerInsights/Prometheus\",\"Dimensions\":"
                + "[[\"ClusterName\",\"Namespace\",\"Service\"],[\"ClusterName\",\"Namespace\"]],\"Metrics\":"
                + "[{\"Name\":\"http_requests_total\",\"Unit\":\"Count\"},{\"Name\":\"http_request_errors_total\","
                + "\"Unit\":\"Count\"}]}],\"ClusterName\":\"prod\",\"Namespace\":\"shop\",\"Service\":\"orders\","
                + "\"Timestamp\":\"" + (1_700_000_000_000L + i) + "\",\"Version\":\"0\",\"code\":\"" + (200 + i % 5)
                + "\",\"container_name\":\"orders\",\"handler\":\"/api/orders/{id}\",\"instance\":\"192.168.20."
                + (i % 250) + ":8080\",\"job\":\"kubernetes-pod-appmesh-envoy\",\"method\":\"GET\",\"pod_name\":"
                + "\"orders-7d9c6b7f9d-x2m4q\",\"http_requests_total\":" + (i % 97) + ",\"http_request_errors_total\":"
                + (i % 3) + ",\"prom_metric_type\":\"counter\"}";
    }
}
