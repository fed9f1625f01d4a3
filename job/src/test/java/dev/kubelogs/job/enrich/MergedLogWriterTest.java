package dev.kubelogs.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.parse.TrickyJsonText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MergedLogWriterTest {

    private static final String KUBERNETES = "{\"pod_name\":\"web-1\",\"labels\":{\"app\":\"a\"}}";

    /** The copy's bytes, or null where it stopped for the tree to decide. */
    private static String copied(String log) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
            try {
                MergedLogWriter.write(log, g);
            } catch (MergedLogWriter.NotMergeable e) {
                return null;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The tree's answer: Merge_Log's object written, or null for no log_processed. */
    private static String fromTree(String log) throws Exception {
        ObjectNode tree = EventJson.mergeLog(log);
        return tree == null ? null : Json.MAPPER.writeValueAsString(tree);
    }

    @Test
    void theCopyIsTheTreeWrittenOrStopsForIt() throws Exception {
        Random random = new Random(19);
        TrickyJsonText json = new TrickyJsonText(random);
        String[] blanks = {"", "\n", " \t", "\u2003", "\u000b", "\r\n", "\u001c"};
        int copies = 0;
        int treeOnly = 0;
        for (int i = 0; i < 20_000; i++) {
            String log =
                    blanks[random.nextInt(blanks.length)] + json.objectOrNot() + blanks[random.nextInt(blanks.length)];
            String tree = fromTree(log);
            String copy = copied(log);
            if (copy != null) {
                assertThat(copy).as(log).isEqualTo(tree);
                copies++;
            } else if (tree != null) {
                treeOnly++;
            }
        }
        // both ways are taken: the copy, and the tree for repeated keys (broken JSON and {} have no log_processed)
        assertThat(copies).isGreaterThan(6_000);
        assertThat(treeOnly).isGreaterThan(0);
    }

    @Test
    void anEventIsTheTreesEventByteForByte() throws Exception {
        Random random = new Random(23);
        TrickyJsonText json = new TrickyJsonText(random);
        ObjectNode kubernetesTree = (ObjectNode) Json.MAPPER.readTree(KUBERNETES);
        for (int i = 0; i < 10_000; i++) {
            String log = json.objectOrNot() + (random.nextBoolean() ? "\n" : "");
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            record.put("log", log);
            if (i % 5 == 0) {
                record.put("log_processed", "the record's own");
            }
            record.put("stream", "stdout");
            record.put("time", "2026-12-05T09:00:00.000000001Z");

            ObjectNode expected = record.deepCopy();
            ObjectNode processed = EventJson.mergeLog(log);
            if (processed != null) {
                expected.set("log_processed", processed);
            }
            expected.set("kubernetes", kubernetesTree);
            assertThat(new String(EventJson.application(LineRecord.of(record), KUBERNETES), StandardCharsets.UTF_8))
                    .as(log)
                    .isEqualTo(Json.MAPPER.writeValueAsString(expected));
        }
    }

    @Test
    void repeatedKeysAtAnyDepthAreLeftToTheTree() throws Exception {
        assertThat(copied("{\"a\":1,\"b\":2,\"a\":3}")).isNull();
        assertThat(fromTree("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo("{\"b\":2,\"a\":3}");
        assertThat(copied("{\"o\":{\"x\":1,\"x\":2}}")).isNull();
        assertThat(copied("{\"l\":[{\"x\":1,\"x\":2}]}")).isNull();
        // the same key in two objects is no repeat
        assertThat(copied("{\"x\":{\"x\":1},\"y\":[{\"x\":2},{\"x\":3}]}"))
                .isEqualTo("{\"x\":{\"x\":1},\"y\":[{\"x\":2},{\"x\":3}]}");
    }

    @Test
    void anObjectWithManyMembersIsLeftToTheTree() throws Exception {
        for (int members : new int[] {MergedLogWriter.Names.MAX_MEMBERS, MergedLogWriter.Names.MAX_MEMBERS + 1}) {
            StringBuilder log = new StringBuilder("{\"o\":{");
            for (int i = 0; i < members; i++) {
                log.append(i > 0 ? "," : "")
                        .append("\"k")
                        .append(i)
                        .append("\":")
                        .append(i);
            }
            String json = log.append("}}").toString();
            assertThat(fromTree(json)).isNotNull();
            assertThat(copied(json))
                    .as("%d members", members)
                    .isEqualTo(members > MergedLogWriter.Names.MAX_MEMBERS ? null : fromTree(json));
        }
    }

    @Test
    void integersAreWrittenAsTheTreeWritesThem() throws Exception {
        String log = "{\"a\":-0,\"b\":0,\"c\":-123456789012345678,\"d\":1234567890123456789,"
                + "\"e\":-9223372036854775808,\"f\":[7,-0]}";
        assertThat(copied(log))
                .isEqualTo(fromTree(log))
                .isEqualTo("{\"a\":0,\"b\":0,\"c\":-123456789012345678,\"d\":1234567890123456789,"
                        + "\"e\":-9223372036854775808,\"f\":[7,0]}");
    }

    @Test
    void onlyTopLevelStringsAreTrimmedAndNumbersAreFluentBits() throws Exception {
        assertThat(copied("{\"msg\":\"a\\n\",\"cr\":\"b\\r\\n\",\"o\":{\"inner\":\"c\\n\"},\"l\":[\"d\\n\"]}\n"))
                .isEqualTo("{\"msg\":\"a\",\"cr\":\"b\\r\",\"o\":{\"inner\":\"c\\n\"},\"l\":[\"d\\n\"]}");
        assertThat(copied("{\"f\":1e-5,\"g\":12345678.5,\"h\":18446744073709551615,\"i\":18446744073709551616}"))
                .isEqualTo("{\"f\":1e-05,\"g\":12345678.5,\"h\":18446744073709551615,\"i\":1.844674407370955e+19}");
    }

    @Test
    void escapedSurrogatesBecomeTheBytesFluentBitMakes() throws Exception {
        String log = "{\"e\":\"\\ud83d\\ude00\"}";
        assertThat(copied(log)).isEqualTo(fromTree(log)).isNotNull();
    }

    @Test
    void whatIsNoObjectWithMembersStops() throws Exception {
        for (String log : new String[] {"{}", " {}\n", "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":", "[1]", "{\"a\":1,}"}) {
            assertThat(copied(log)).as(log).isNull();
            assertThat(fromTree(log)).as(log).isNull();
        }
    }

    @Test
    void blanksAroundTheObjectAreStrippedLikeStringStrip() {
        String docker = "{\"a\":1}\n";
        assertThat(MergedLogWriter.stripped(docker)).isSameAs(docker);
        assertThat(MergedLogWriter.stripped("\u2003{\"a\":1}\n")).isEqualTo("{\"a\":1}");
        assertThat(MergedLogWriter.stripped(" {\"a\":1}\u000b")).isEqualTo("{\"a\":1}");
        assertThat(MergedLogWriter.opensObject(" \t{")).isTrue();
        assertThat(MergedLogWriter.opensObject(" x{")).isFalse();
        assertThat(MergedLogWriter.opensObject("")).isFalse();
    }

    @Test
    void theTrimOfACharRangeIsTheTrimOfTheString() {
        Random random = new Random(5);
        String alphabet = "ab\\nr\r\n ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder v = new StringBuilder();
            int length = random.nextInt(8);
            for (int k = 0; k < length; k++) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String padded = "xy" + v + "z";
            assertThat(MergedLogWriter.trimmedLength(padded.toCharArray(), 2, v.length()))
                    .as(v.toString())
                    .isEqualTo(EventJson.mergeLogTrimmedLength(v.toString()));
        }
    }

    @Test
    void aStoppedCopyLeavesTheNextEventWhole() throws Exception {
        ObjectNode broken = JsonNodeFactory.instance.objectNode().put("log", "{\"a\":[1,2\n");
        assertThat(new String(EventJson.application(LineRecord.of(broken), KUBERNETES), StandardCharsets.UTF_8))
                .isEqualTo("{\"log\":\"{\\\"a\\\":[1,2\\n\",\"kubernetes\":" + KUBERNETES + "}");
        ObjectNode next = JsonNodeFactory.instance.objectNode().put("log", "{\"a\":1}\n");
        assertThat(new String(EventJson.application(LineRecord.of(next), KUBERNETES), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"log\":\"{\\\"a\\\":1}\\n\",\"log_processed\":{\"a\":1},\"kubernetes\":" + KUBERNETES + "}");
        assertThatThrownBy(() -> MergedLogWriter.write(
                        "{\"a\":[1,2\n", Json.MAPPER.createGenerator(new ByteArrayOutputStream())))
                .isInstanceOf(MergedLogWriter.NotMergeable.class);
    }
}
