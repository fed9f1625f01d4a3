package dev.kubelogs.collector.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POD records and their hashes are the same bytes as with Jackson databind's trees before: a collector upgraded in
 * place re-announces no pod, and the job reads the same records.
 */
class PodMetadataTest {
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
        JsonNode oldList = DATABIND.readTree(POD_LIST);
        Object newList = Json.parse(new java.io.ByteArrayInputStream(POD_LIST.getBytes(StandardCharsets.UTF_8)));
        List<ObjectNode> oldContents = new ArrayList<>();
        for (JsonNode item : oldList.path("items")) {
            oldContents.add(DatabindPodMetadata.content(item));
        }
        List<Map<String, Object>> newContents = new ArrayList<>();
        for (Object item : Json.elements(Json.get(newList, "items"))) {
            newContents.add(PodMetadata.content(item));
        }
        assertThat(newContents).hasSameSizeAs(oldContents).hasSize(6);
        int pods = 0;
        for (int i = 0; i < oldContents.size(); i++) {
            ObjectNode o = oldContents.get(i);
            Map<String, Object> n = newContents.get(i);
            if (o == null) {
                assertThat(n).as("item %d", i).isNull();
                continue;
            }
            pods++;
            assertThat(PodMetadata.key(n)).isEqualTo(DatabindPodMetadata.key(o));
            assertThat(PodMetadata.hash(n)).as("hash of item %d", i).isEqualTo(DatabindPodMetadata.hash(o));
            assertThat(new String(PodMetadata.upsert(n, 1_716_000_000_123L), StandardCharsets.UTF_8))
                    .isEqualTo(new String(DatabindPodMetadata.upsert(o, 1_716_000_000_123L), StandardCharsets.UTF_8));
            assertThat(n.get("uid")).isEqualTo(o.get("uid").asText());
        }
        assertThat(pods).isEqualTo(4);
        assertThat(PodMetadata.delete("ns", "na\"me", "u", 5)).isEqualTo(DatabindPodMetadata.delete("ns", "na\"me", "u", 5));
        assertThat(new String(PodMetadata.upsert(newContents.get(0), 1), StandardCharsets.UTF_8))
                .contains("\"containerId\":\"0123abcd\"", "\"containerId\":\"beef\"", "\"name\":\"debug\",\"containerId\":\"\"",
                        "\"n\":\"5\"", "\"o\":\"{\\\"a\\\":[1,2.5,-3.0E10]}\"");
    }

    @Test
    void treeBasics() throws Exception {
        assertThat(Json.parse("")).isNull();
        assertThat(Json.parse("[1] trailing")).isEqualTo(List.of(1L));
        assertThat(Json.text(Json.parse("null"), "d")).isEqualTo("d");
        assertThat(Json.text(null, "d")).isEqualTo("d");
        assertThat(Json.text(Json.parse("{}"), "d")).isEmpty();
        assertThat(Json.text(Json.parse("12"), "d")).isEqualTo("12");
        assertThat(Json.get(Json.parse("[1]"), "a")).isNull();
    }
}
