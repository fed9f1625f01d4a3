package dev.kubelogs.bench.jmh;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.enrich.EventJson;
import dev.kubelogs.job.parse.ContainerLineParser;
import dev.kubelogs.job.parse.LineRecord;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Event JSON serialization: an application record (with Merge_Log of a JSON log) plus its kubernetes block; a dataplane record. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventJsonBench {
    @Param({"application-json-log", "application-text-log", "dataplane"})
    public String kind;

    private LineRecord record;
    private ObjectNode kubernetes;
    private final Map<String, String> attrs = Map.of("az", "us-west-2a", "ec2_instance_id", "i-0abc123def4567890");

    @Setup
    public void setup() {
        record = ContainerLineParser.parse(
                        Lines.utf8(kind.equals("application-json-log") ? Lines.dockerJsonApp(7) : Lines.dockerText(7)))
                .record();
        kubernetes = JsonNodeFactory.instance.objectNode();
        kubernetes.put("pod_name", "orders-7d9c6b7f9d-x2m4q");
        kubernetes.put("namespace_name", "shop");
        kubernetes.put("pod_id", "5b0c6f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
        kubernetes.put("host", "ip-10-0-1-10.us-west-2.compute.internal");
        kubernetes.put("container_name", "orders");
        kubernetes.put("docker_id", "765dd8e2549e7fbb47e1fc1b3cec7255d9e9cc4e9428b977e8c88c280ef90bc0");
        kubernetes.put("container_hash", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        kubernetes.put("container_image", "123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2");
    }

    @Benchmark
    public byte[] serialize() {
        return kind.equals("dataplane")
                ? EventJson.dataplaneTail(record, attrs)
                : EventJson.application(record, EventJson.write(kubernetes));
    }
}
