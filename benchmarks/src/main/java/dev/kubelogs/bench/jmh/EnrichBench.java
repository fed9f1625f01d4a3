package dev.kubelogs.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.enrich.PodMetadata;
import dev.kubelogs.job.route.TagNames;
import dev.kubelogs.spool.ContainerLogName;
import dev.kubelogs.spool.PodRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The enrichment lookup the keyed stage does per application line: file name → (namespace, pod, container id), the
 * pod's stored metadata JSON (a map lookup standing in for the keyed MapState on the heap) parsed, the container found
 * and the {@code kubernetes} block built. Per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnrichBench {
    private final Map<String, String> pods = new HashMap<>();
    private final String path = "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + "0a".repeat(32) + ".log";

    @Setup
    public void setup() throws Exception {
        String id = "0a".repeat(32);
        String json =
                "{\"event\":\"upsert\",\"observedAt\":1700000000000,\"namespace\":\"shop\",\"name\":\"orders-7d9c6b7f9d-x2m4q\","
                        + "\"uid\":\"5b0c6f0e-1c2d-4e5f-8a9b-0a0a0a0a0a0a\",\"podIp\":\"192.168.20.7\",\"nodeName\":\"ip-10-0-1-10.us-west-2.compute.internal\","
                        + "\"labels\":{\"app\":\"orders\",\"pod-template-hash\":\"7d9c6b7f9d\"},\"annotations\":{},\"containers\":[{\"name\":\"orders\","
                        + "\"containerId\":\"" + id + "\",\"imageId\":\"sha256:" + id
                        + "\",\"image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\"}]}";
        PodMetadata pod = PodMetadata.parse(json);
        pods.put(pod.key(), pod.toJson());
    }

    @Benchmark
    public ObjectNode lookup() throws Exception {
        ContainerLogName name = ContainerLogName.parse(TagNames.baseName(path));
        String podJson = pods.get(PodMetadata.key(name.namespace(), name.podName()));
        PodMetadata pod = PodMetadata.parse(podJson);
        PodRecord.Container container = pod.container(name.containerId());
        return pod.kubernetesBlock(container, false, false);
    }
}
