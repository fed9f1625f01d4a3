package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Docker lines read token by token ({@link ContainerLineParser#parseDocker(byte[], int, int)}) against the tree
 * Jackson's reader makes of them, which is how they were read before: the same record (keys in the same order, the
 * same values), log, stream, time and partial flag, and null for the same lines.
 */
class StreamedDockerLineTest {

    /** The line read as before: Jackson's tree. */
    private static ContainerLine fromTree(byte[] line) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return null;
        }
        if (!(node instanceof ObjectNode) || !node.path("log").isTextual()) {
            return null;
        }
        String log = node.get("log").textValue();
        return new ContainerLine(
                ContainerLine.Format.DOCKER,
                LineRecord.of((ObjectNode) node),
                node.path("stream").asText(""),
                log,
                !log.endsWith("\n"),
                Timestamps.zoneIgnoredToMillis(node.path("time").asText(null)));
    }

    private static void assertSameAsTheTree(byte[] line) throws Exception {
        String text = new String(line, StandardCharsets.UTF_8);
        ContainerLine expected = fromTree(line);
        // read where it lies in a larger buffer, as lines of a batch are
        byte[] batch = new byte[line.length + 7];
        System.arraycopy(line, 0, batch, 3, line.length);
        ContainerLine actual = ContainerLineParser.parseDocker(batch, 3, line.length);
        if (expected == null) {
            assertThat(actual).as(text).isNull();
            return;
        }
        assertThat(actual).as(text).isEqualTo(expected);
        assertThat(Json.MAPPER.writeValueAsString(actual.record()))
                .as(text)
                .isEqualTo(Json.MAPPER.writeValueAsString(expected.record()));
    }

    @Test
    void generatedLinesAreReadAsTheTreeReadsThem() throws Exception {
        Random random = new Random(16);
        TrickyJsonText json = new TrickyJsonText(random);
        int docker = 0;
        for (int i = 0; i < 20_000; i++) {
            List<String> members = new ArrayList<>();
            String log = random.nextInt(3) == 0 ? json.objectOrNot() : json.string();
            members.add("\"log\":" + (log.startsWith("\"") ? log : quoted(log)));
            members.add("\"stream\":" + (random.nextInt(10) == 0 ? json.value(1) : "\"stdout\""));
            members.add("\"time\":\"2026-12-05T09:" + (10 + random.nextInt(50)) + ":00.123456789Z\"");
            int extra = random.nextInt(12) == 0 ? 1 + random.nextInt(3) : 0;
            for (int k = 0; k < extra; k++) {
                members.add(json.key() + ":" + json.value(1));
            }
            if (random.nextInt(20) == 0) {
                members.add(members.get(random.nextInt(members.size())).replaceFirst(":.*", ":\"again\""));
            }
            if (random.nextInt(4) == 0) {
                Collections.shuffle(members, random);
            }
            String line = json.blanks() + "{" + String.join("," + json.blanks(), members) + "}" + json.blanks();
            switch (random.nextInt(30)) {
                case 0:
                    line = line.substring(0, random.nextInt(line.length()));
                    break;
                case 1:
                    line = line + " x";
                    break;
                case 2:
                    line = line + "{}";
                    break;
                default:
                    break;
            }
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(50) == 0 && bytes.length > 20) {
                bytes[10 + random.nextInt(bytes.length - 10)] = (byte) (0x80 + random.nextInt(0x80));
            }
            assertSameAsTheTree(bytes);
            if (fromTree(bytes) != null) {
                docker++;
            }
        }
        assertThat(docker).isGreaterThan(10_000);
    }

    private static String quoted(String text) throws Exception {
        return Json.MAPPER.writeValueAsString(text);
    }

    @Test
    void trickyLinesAreReadAsTheTreeReadsThem() throws Exception {
        String[] lines = {
            "{\"log\":\"GET /healthz 200\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03.123456789Z\"}",
            "{\"log\":\"first 16k\",\"stream\":\"stderr\",\"time\":\"2024-05-14T09:12:03Z\"}",
            "{\"log\":\"a\",\"log\":\"b\\n\",\"stream\":\"stdout\"}",
            "{\"stream\":\"stdout\",\"log\":\"x\\n\",\"stream\":\"stderr\"}",
            "{\"log\":1,\"log\":\"b\\n\"}",
            "{\"log\":\"b\\n\",\"log\":1}",
            "{\"log\":\"x\\n\",\"attrs\":{\"tag\":\"web\"},\"stream\":\"stdout\"}",
            "{\"log\":\"x\\n\",\"n\":1.10,\"m\":1e5,\"big\":123456789012345678901234567890}",
            "{\"log\":\"\\u00e9\\ud83d\\ude00\\u2028\\\\ud83d\\n\",\"stream\":\"stdout\"}",
            "{\"log\":\"é😀中文\\u0000\\n\"}",
            "{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"n\\\":1}\\n\",\"stream\":\"stdout\"}",
            "{\"log\":\"x\\n\"} trailing",
            "{\"log\":\"x\\n\"}{}",
            "{\"log\":\"x\\n\",}",
            "{\"log\":\"x\\n\"",
            "{\"log\":null}",
            "{}",
            "{\"stream\":\"stdout\"}",
            " {\"log\":\"x\\n\"}\t",
            "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"not a time\"}",
            "{\"log\":\"\",\"stream\":\"\",\"time\":\"\"}",
        };
        for (String line : lines) {
            assertSameAsTheTree(line.getBytes(StandardCharsets.UTF_8));
        }
        // a raw control character or an ill-formed byte: neither read takes the line (the lenient read does)
        assertSameAsTheTree("{\"log\":\"a\u0001b\\n\"}".getBytes(StandardCharsets.UTF_8));
        assertSameAsTheTree(new byte[] {'{', '"', 'l', 'o', 'g', '"', ':', '"', (byte) 0xC3, '"', '}'});
    }

    @Test
    void theStringsOnlyLineKeepsTheFirstPlaceOfARepeatedKey() throws Exception {
        ContainerLine line = ContainerLineParser.parseDocker(
                "{\"log\":\"a\",\"stream\":\"stdout\",\"log\":\"b\\n\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(Json.MAPPER.writeValueAsString(line.record())).isEqualTo("{\"log\":\"b\\n\",\"stream\":\"stdout\"}");
        assertThat(line.partial()).isFalse();
    }
}
