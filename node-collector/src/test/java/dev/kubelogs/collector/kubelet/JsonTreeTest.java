package dev.kubelogs.collector.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small JSON tree against Jackson databind, which the collector wrote its records with before. */
class JsonTreeTest {
    private static final ObjectMapper DATABIND = new ObjectMapper();
    private static final List<String> DOCUMENTS = List.of(
            "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
            "{\"big\":123456789012345678901234567890,\"neg\":-9223372036854775808,\"small\":-0.5,\"exp\":1.5E300}",
            "{\"dec\":0.1000000000000000055511151231257827,\"int\":42,\"zero\":0}",
            "{\"s\":\"tab\\t quote\\\" backslash\\\\ ctrl\\u0001 é \\ud83d\\ude00 \\u2028\"}",
            "{\"k\":1,\"other\":2,\"k\":3}",
            "[[],{},[{}],\"\",null]",
            "\"just a string\"",
            "{ \"spaced\" : [ 1 , 2 ] }");

    @Test
    void writesEveryDocumentBackAsDatabindWritesItsTree() throws IOException {
        for (String doc : DOCUMENTS) {
            JsonNode tree = DATABIND.readTree(doc);
            Object ours = JsonTree.parse(doc);
            assertThat(JsonTree.string(ours)).as(doc).isEqualTo(DATABIND.writeValueAsString(tree));
            assertThat(JsonTree.bytes(ours)).as(doc).isEqualTo(DATABIND.writeValueAsBytes(tree));
        }
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndItsLastValue() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) JsonTree.parse("{\"k\":1,\"other\":2,\"k\":3}");
        assertThat(v).containsExactly(Map.entry("k", 3L), Map.entry("other", 2L));
    }

    @Test
    void accessorsBehaveLikeJsonNodes() throws IOException {
        Object v = JsonTree.parse("{\"s\":\"x\",\"n\":7,\"b\":true,\"o\":{},\"z\":null,\"a\":[1,2]}");
        assertThat(JsonTree.text(JsonTree.get(v, "s"), "f")).isEqualTo("x");
        assertThat(JsonTree.text(JsonTree.get(v, "n"), "f")).isEqualTo("7");
        assertThat(JsonTree.text(JsonTree.get(v, "b"), "f")).isEqualTo("true");
        assertThat(JsonTree.text(JsonTree.get(v, "o"), "f")).isEmpty();
        assertThat(JsonTree.text(JsonTree.get(v, "z"), "f")).isEqualTo("f");
        assertThat(JsonTree.text(JsonTree.get(v, "missing"), "f")).isEqualTo("f");
        assertThat(JsonTree.get(JsonTree.get(v, "s"), "x"))
                .as("a field of a non-object")
                .isNull();
        assertThat(JsonTree.elements(JsonTree.get(v, "a"))).containsExactly(1L, 2L);
        assertThat(JsonTree.elements(JsonTree.get(v, "s"))).isEmpty();
    }

    @Test
    void brokenJsonIsAnErrorWhatFollowsTheFirstValueIsIgnoredAndNothingIsNull() throws IOException {
        assertThatThrownBy(() -> JsonTree.parse("{\"a\":")).isInstanceOf(IOException.class);
        assertThat(JsonTree.parse("{\"a\":1} trailing")).isEqualTo(Map.of("a", 1L));
        assertThat(JsonTree.parse("  ")).isNull();
    }
}
