package dev.kubelogs.collector.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.spool.PodRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * POD records and their hashes are the same bytes as with Jackson databind's trees before: a collector upgraded in
 * place re-announces no pod, and the job reads the same records.
 */
class KubeletPodsTest {
    static final ObjectMapper DATABIND = new ObjectMapper();

    static final String POD_LIST = """
            {"kind":"PodList","apiVersion":"v1","metadata":{},"items":[
             {"metadata":{"name":"web-0","namespace":"default","uid":"u-1","labels":{"app":"web","tier":"front \\"end\\"","n":5,"b":true,"x":null,
               "o":{"a":[1,2.5,-3e10]}},"annotations":{"kubernetes.io/psp":"eks.privileged","\\u00e9":"caf\\u00e9 \\ud83d\\ude00"},"creationTimestamp":"2024-05-01T10:00:00Z"},
              "spec":{"nodeName":"ip-10-0-0-1","containers":[{"name":"app"}]},
              "status":{"podIP":"10.0.0.12","containerStatuses":[{"name":"app","containerID":"containerd://0123abcd","imageID":"sha256:ff","image":"nginx:1.27","ready":true,"restartCount":12345678901}],
                "initContainerStatuses":[{"name":"init","containerID":"docker://beef","imageID":"i","image":"busybox"}],
                "ephemeralContainerStatuses":[{"name":"debug"}]}},
             {"metadata":{"name":"no-status","namespace":"kube-system"}},
             {"metadata":{"name":"","namespace":"x"}},
             {"metadata":{"namespace":"x"}},
             {"metadata":{"name":"odd","namespace":"y","uid":7,"labels":[],"annotations":"s"},"spec":[],"status":{"podIP":null,"containerStatuses":{"k":{"name":"in-an-object"}}}},
             {"metadata":{"name":"dup","namespace":"y","labels":{"a":"1","b":"2","a":"3"}}}
            ]}""";

    @Test
    void recordsAndHashesAreTheBytesDatabindWrote() throws Exception {
        long observedAt = 1_716_000_000_123L;
        JsonNode oldList = DATABIND.readTree(POD_LIST);
        Object newList = JsonTree.parse(new java.io.ByteArrayInputStream(POD_LIST.getBytes(StandardCharsets.UTF_8)));
        List<ObjectNode> oldContents = new ArrayList<>();
        for (JsonNode item : oldList.path("items")) {
            oldContents.add(DatabindPodMetadata.content(item));
        }
        List<PodRecord> newRecords = new ArrayList<>();
        for (Object item : JsonTree.elements(JsonTree.get(newList, "items"))) {
            newRecords.add(KubeletPods.upsert(item, observedAt));
        }
        assertThat(newRecords).hasSameSizeAs(oldContents).hasSize(6);
        int pods = 0;
        for (int i = 0; i < oldContents.size(); i++) {
            ObjectNode o = oldContents.get(i);
            PodRecord n = newRecords.get(i);
            if (o == null) {
                assertThat(n).as("item %d", i).isNull();
                continue;
            }
            pods++;
            assertThat(n.key()).isEqualTo(DatabindPodMetadata.key(o));
            assertThat(KubeletPods.hash(n)).as("hash of item %d", i).isEqualTo(DatabindPodMetadata.hash(o));
            assertThat(new String(n.toJson(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(DatabindPodMetadata.upsert(o, observedAt), StandardCharsets.UTF_8));
            assertThat(n.uid()).isEqualTo(o.get("uid").asText());
        }
        assertThat(pods).isEqualTo(4);
        assertThat(PodRecord.delete(5, "ns", "na\"me", "u").toJson())
                .isEqualTo(DatabindPodMetadata.delete("ns", "na\"me", "u", 5));
        assertThat(new String(newRecords.get(0).toJson(), StandardCharsets.UTF_8))
                .contains(
                        "\"containerId\":\"0123abcd\"",
                        "\"containerId\":\"beef\"",
                        "\"name\":\"debug\",\"containerId\":\"\",\"imageId\":\"\",\"image\":\"\",\"ephemeral\":true}",
                        "\"name\":\"init\",\"containerId\":\"beef\",\"imageId\":\"i\",\"image\":\"busybox\"}",
                        "\"n\":\"5\"",
                        "\"o\":\"{\\\"a\\\":[1,2.5,-3.0E10]}\"");
    }

    @Test
    void theHashFollowsWhatTheKubeletSaysNotWhenItWasAsked() throws Exception {
        Object item = JsonTree.parse("{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\",\"labels\":{\"x\":\"1\"}}}");
        Object changed = JsonTree.parse("{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\",\"labels\":{\"x\":\"2\"}}}");
        assertThat(KubeletPods.hash(KubeletPods.upsert(item, 1)))
                .isEqualTo(KubeletPods.hash(KubeletPods.upsert(item, 2)));
        assertThat(KubeletPods.hash(KubeletPods.upsert(item, 1)))
                .isNotEqualTo(KubeletPods.hash(KubeletPods.upsert(changed, 1)));
    }

    @Test
    void theRuntimePrefixIsStrippedFromContainerIds() {
        assertThat(KubeletPods.stripRuntime("containerd://abc")).isEqualTo("abc");
        assertThat(KubeletPods.stripRuntime("abc")).isEqualTo("abc");
    }
}
