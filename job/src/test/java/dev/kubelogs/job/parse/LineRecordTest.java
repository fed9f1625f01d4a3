package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineRecordTest {
    @Test
    void writesWhatJacksonWritesOfTheSameTree() throws Exception {
        String json = "{\"log\":\"a\\\"b\\u00e9\\n\",\"n\":1.50,\"big\":123456789012345678901234567890,"
                + "\"o\":{\"x\":[1,true,null,\"\\ud83d\\ude00\"]},\"t\":false,\"z\":null,\"stream\":\"stdout\"}";
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(json);

        LineRecord record = LineRecord.of(tree);

        assertThat(record.toJson()).isEqualTo(Json.MAPPER.writeValueAsString(tree));
        assertThat(Json.MAPPER.writeValueAsString(record)).isEqualTo(Json.MAPPER.writeValueAsString(tree));
        assertThat(LineRecord.parse(json)).isEqualTo(record);
        assertThat(record.text("log")).isEqualTo("a\"bé\n");
        assertThat(record.text("n")).isNull();
        assertThat(record.json(1)).isEqualTo("1.5");
        assertThat(record.get("o")).isEqualTo(tree.get("o"));
        assertThat(record.get("missing")).isNull();
        assertThat(record.path("missing").isMissingNode()).isTrue();
    }

    @Test
    void aSetMemberKeepsItsPlaceAndANewOneGoesLastAsObjectNodePut() {
        LineRecord record = LineRecord.ofTexts("time", "t", "log", "a", "stream", "stdout");

        assertThat(record.with("log", "b").toJson()).isEqualTo("{\"time\":\"t\",\"log\":\"b\",\"stream\":\"stdout\"}");
        assertThat(record.without("log").with("log", "b").toJson())
                .isEqualTo("{\"time\":\"t\",\"stream\":\"stdout\",\"log\":\"b\"}");
        assertThat(record.withTrue("multiline_truncated").toJson())
                .isEqualTo("{\"time\":\"t\",\"log\":\"a\",\"stream\":\"stdout\",\"multiline_truncated\":true}");
        assertThat(record.without("absent")).isSameAs(record);
        // immutable: the record handed on is not changed by what is made of it
        assertThat(record.toJson()).isEqualTo("{\"time\":\"t\",\"log\":\"a\",\"stream\":\"stdout\"}");
    }

    @Test
    void aRepeatedNameKeepsItsFirstPlaceWithTheLastValueAsTheTreeReader() throws Exception {
        String json = "{\"log\":\"a\",\"stream\":\"x\",\"log\":{\"n\":1},\"log\":\"c\"}";

        LineRecord record = LineRecord.parse(json);

        assertThat(record.toJson()).isEqualTo(Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json)));
        assertThat(new LineRecord.Builder(0)
                        .put("a", "1")
                        .put("b", "2")
                        .put("a", "3")
                        .build()
                        .toJson())
                .isEqualTo("{\"a\":\"3\",\"b\":\"2\"}");
    }

    @Test
    void stateWrittenAsTreesBeforeReadsIntoTheSameRecordAndWritesBackTheSameText() throws Exception {
        Random random = new Random(20);
        TrickyJsonText tricky = new TrickyJsonText(random);
        int objects = 0;
        for (int i = 0; i < 5_000; i++) {
            JsonNode tree;
            try {
                tree = Json.MAPPER.readTree(tricky.object(0));
            } catch (Exception e) {
                continue;
            }
            // what the joiners and the metadata wait kept in state: Jackson's text of the record's tree
            String state = Json.MAPPER.writeValueAsString(tree);
            LineRecord record = LineRecord.parse(state);
            // equal as JSON: a number too large for a double was Infinity in the tree, "Infinity" once written
            assertThat(LineRecord.of((ObjectNode) tree).toJson()).isEqualTo(state);
            assertThat(record.toJson()).isEqualTo(state);
            assertThat(LineRecord.parse(record.toJson())).isEqualTo(record);
            objects++;
        }
        assertThat(objects).isGreaterThan(3_000);
    }

    @Test
    void stateThatIsNotAnObjectIsAnError() {
        assertThatThrownBy(() -> LineRecord.parse("[1]")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> LineRecord.parse("{\"a\":")).isInstanceOf(UncheckedIOException.class);
    }
}
