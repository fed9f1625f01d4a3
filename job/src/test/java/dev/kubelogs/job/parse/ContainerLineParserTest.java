package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContainerLineParserTest {

    private static ContainerLine parse(String line) {
        return ContainerLineParser.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dockerJsonKeepsTheFilesKeysInOrder() throws Exception {
        ContainerLine l = parse(
                "{\"log\":\"GET /healthz 200\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03.123456789Z\"}");
        assertThat(l.format()).isEqualTo(ContainerLine.Format.DOCKER);
        assertThat(Json.MAPPER.writeValueAsString(l.record()))
                .isEqualTo(
                        "{\"log\":\"GET /healthz 200\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03.123456789Z\"}");
        assertThat(l.partial()).isFalse();
        assertThat(l.stream()).isEqualTo("stdout");
        assertThat(l.timeMillis()).isEqualTo(1715677923123L);
    }

    @Test
    void dockerPieceWithoutNewlineIsPartial() {
        assertThat(parse("{\"log\":\"first 16k\",\"stream\":\"stderr\",\"time\":\"2024-05-14T09:12:03Z\"}")
                        .partial())
                .isTrue();
    }

    @Test
    void criLineBecomesTimeStreamPLog() throws Exception {
        ContainerLine l = parse("2024-05-14T09:12:03.123456789Z stdout F {\"level\":\"info\"}");
        assertThat(l.format()).isEqualTo(ContainerLine.Format.CRI);
        assertThat(Json.MAPPER.writeValueAsString(l.record()))
                .isEqualTo(
                        "{\"time\":\"2024-05-14T09:12:03.123456789Z\",\"stream\":\"stdout\",\"_p\":\"F\",\"log\":\"{\\\"level\\\":\\\"info\\\"}\"}");
        assertThat(l.timeMillis()).isEqualTo(1715677923123L);
    }

    @Test
    void criPartialAndEmptyAndOffsetTimes() {
        assertThat(parse("2016-10-06T00:17:09.669794202Z stdout P log content 1")
                        .partial())
                .isTrue();
        ContainerLine empty = parse("2016-10-06T00:17:09.669794202Z stderr F ");
        assertThat(empty.format()).isEqualTo(ContainerLine.Format.CRI);
        assertThat(empty.log()).isEmpty();
        assertThat(parse("2016-10-06T02:17:09.669+02:00 stdout F x").timeMillis())
                .isEqualTo(parse("2016-10-06T00:17:09.669Z stdout F x").timeMillis());
    }

    @Test
    void criKeepsSpacesOfTheMessage() {
        assertThat(parse("2024-01-01T00:00:00Z stdout F   indented  text ").log())
                .isEqualTo("  indented  text ");
    }

    @Test
    void anythingElseIsShippedRaw() throws Exception {
        for (String line : new String[] {
            "plain text from a misconfigured runtime", "{not json", "2024 stdout X y", "{\"no\":\"log key\"}"
        }) {
            ContainerLine l = parse(line);
            assertThat(l.format()).as(line).isEqualTo(ContainerLine.Format.RAW);
            assertThat(Json.MAPPER.writeValueAsString(l.record()))
                    .isEqualTo(
                            Json.MAPPER.writeValueAsString(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                    .objectNode()
                                    .put("log", line)));
            assertThat(l.timeMillis()).isEqualTo(-1L);
        }
    }

    @Test
    void aDockerLineWithInvalidUtf8OrARawNulIsParsedAndKeepsItsTime() throws Exception {
        byte[] head = "{\"log\":\"bad ".getBytes(StandardCharsets.UTF_8);
        byte[] tail = " end\\n\",\"stream\":\"stderr\",\"time\":\"2024-05-14T09:12:03.123456789Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        // a lone continuation byte, a cut 3-byte sequence and a NUL no JSON writer would leave unescaped
        byte[] middle = {(byte) 0x80, 'x', (byte) 0xE2, (byte) 0x82, 'y', 0, 'z'};
        byte[] line = new byte[head.length + middle.length + tail.length];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(middle, 0, line, head.length, middle.length);
        System.arraycopy(tail, 0, line, head.length + middle.length, tail.length);

        ContainerLine l = ContainerLineParser.parse(line);

        assertThat(l.format()).isEqualTo(ContainerLine.Format.DOCKER);
        assertThat(l.log()).isEqualTo("bad \uE080x\uE0E2\uE082y\u0000z end\n");
        assertThat(l.stream()).isEqualTo("stderr");
        assertThat(l.timeMillis()).isEqualTo(1715677923123L);
        assertThat(l.partial()).isFalse();
        // written back, the NUL is escaped and the ill-formed bytes' characters are raw, as Fluent Bit writes them
        assertThat(Json.MAPPER.writeValueAsString(l.record()))
                .contains("\"log\":\"bad \uE080x\uE0E2\uE082y\\u0000z end\\n\"");
    }

    /**
     * The docker parser's strings are unescaped one escape at a time (src/flb_unescape.c flb_unescape_string_utf8, from
     * src/flb_pack.c pack_string_token): an escaped surrogate, paired or lone, becomes the three bytes of its unit,
     * which the output writes as ill-formed bytes (src/flb_utils.c flb_utils_write_str_escaped); Jackson joined the
     * pair into its emoji. An emoji written as UTF-8 and an escaped backslash before "ud83d" stay as they are.
     */
    @Test
    void aDockerLineWithEscapedSurrogatesGetsTheBytesFluentBitUnescapesThemTo() throws Exception {
        ContainerLine l = parse("{\"log\":\"pair \\ud83d\\uDE00 lone \\udc00 utf8 \ud83d\ude00 kept \\\\ud83d\\n\","
                + "\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03.123Z\"}");
        assertThat(l.format()).isEqualTo(ContainerLine.Format.DOCKER);
        assertThat(l.log())
                .isEqualTo("pair \ue0ed\ue0a0\ue0bd\ue0ed\ue0b8\ue080 lone \ue0ed\ue0b0\ue080 utf8 \ud83d\ude00 kept "
                        + "\\ud83d\n");
        assertThat(l.timeMillis()).isEqualTo(1715677923123L);
        assertThat(Json.MAPPER.writeValueAsString(l.record()))
                .startsWith("{\"log\":\"pair \ue0ed\ue0a0\ue0bd\ue0ed\ue0b8\ue080 lone \ue0ed\ue0b0\ue080 utf8 "
                        + "\\ud83d\\ude00 kept \\\\ud83d\\n\"");
        assertThat(ContainerLineParser.hasSurrogateEscape(new byte[] {'\\', 'u', 'D', '8'}, 0, 4))
                .isTrue();
        assertThat(ContainerLineParser.hasSurrogateEscape(new byte[] {'\\', 'u', 'd', '7', 'f'}, 0, 5))
                .as("U+D7FF is no surrogate")
                .isFalse();
        assertThat(ContainerLineParser.hasSurrogateEscape(new byte[] {'\\', 'u', 'd', 'e'}, 0, 3))
                .isFalse();
    }

    @Test
    void theWordScanForSurrogateEscapesFindsWhatAByteScanFinds() {
        // escapes and near misses at every position of every window of lines long enough for the word loop
        java.util.Random random = new java.util.Random(16);
        byte[] alphabet = {'\\', 'u', 'U', 'd', 'D', 'e', '7', '8', 'f', 'F', 'g', 'a', '"', ' ', 0, 1, (byte) 0xC3};
        for (int round = 0; round < 20_000; round++) {
            byte[] line = new byte[4 + random.nextInt(60)];
            for (int i = 0; i < line.length; i++) {
                line[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (random.nextBoolean()) {
                int at = random.nextInt(line.length - 3);
                System.arraycopy(
                        new byte[] {'\\', 'u', (byte) (random.nextBoolean() ? 'd' : 'D'), '9'}, 0, line, at, 4);
            }
            int from = random.nextInt(4);
            int length = random.nextInt(line.length - from + 1);
            assertThat(ContainerLineParser.hasSurrogateEscape(line, from, length))
                    .as("round %d, bytes [%d, %d)", round, from, from + length)
                    .isEqualTo(byteByByte(line, from, length));
        }
    }

    private static boolean byteByByte(byte[] bytes, int from, int length) {
        for (int i = from; i < from + length - 3; i++) {
            if (bytes[i] == '\\' && bytes[i + 1] == 'u' && (bytes[i + 2] | 0x20) == 'd') {
                int unit = bytes[i + 3] | 0x20;
                if ((unit >= '8' && unit <= '9') || (unit >= 'a' && unit <= 'f')) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aCriLineWithInvalidUtf8GetsOneCharacterPerBadByte() {
        byte[] prefix = "2024-05-14T09:12:03Z stdout F a".getBytes(StandardCharsets.UTF_8);
        byte[] line = java.util.Arrays.copyOf(prefix, prefix.length + 3);
        line[prefix.length] = (byte) 0xE2;
        line[prefix.length + 1] = (byte) 0x82;
        line[prefix.length + 2] = 'b';
        // U+E000 + the byte, as Fluent Bit writes it
        assertThat(ContainerLineParser.parse(line).log()).isEqualTo("a\uE0E2\uE082b");
    }

    /** in_tail drops the CR of a CR LF line ending before any parser sees the line. */
    @Test
    void aLineEndingInCarriageReturnLosesItLikeInTail() {
        ContainerLine cri = ContainerLineParser.parse(
                "2024-05-14T09:12:03Z stdout F windows line\r".getBytes(StandardCharsets.UTF_8));
        assertThat(cri.log()).isEqualTo("windows line");
        assertThat(cri.record().get("log").textValue()).isEqualTo("windows line");
        assertThat(ContainerLineParser.parse("raw text\r".getBytes(StandardCharsets.UTF_8))
                        .log())
                .isEqualTo("raw text");
        // only the last one, and not a line that is nothing but the CR
        assertThat(ContainerLineParser.parse("raw\r\r".getBytes(StandardCharsets.UTF_8))
                        .log())
                .isEqualTo("raw\r");
        assertThat(ContainerLineParser.parse("\r".getBytes(StandardCharsets.UTF_8))
                        .log())
                .isEqualTo("\r");
        // the CR inside a line stays
        assertThat(ContainerLineParser.parse("2024-05-14T09:12:03Z stdout F a\rb".getBytes(StandardCharsets.UTF_8))
                        .log())
                .isEqualTo("a\rb");
    }

    /** The docker parser reads no zone (its format is %Y-%m-%dT%H:%M:%S.%L): an offset leaves the time as UTC. */
    @Test
    void aDockerTimeWithAnOffsetIsTakenAsUtc() {
        ContainerLine l = parse("{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03.123+02:00\"}");
        assertThat(l.timeMillis()).isEqualTo(1715677923123L);
        assertThat(l.record().get("time").textValue()).isEqualTo("2024-05-14T09:12:03.123+02:00");
        ContainerLine cri = parse("2024-05-14T11:12:03.123+02:00 stdout F x");
        assertThat(cri.timeMillis()).as("the cri parser's format ends in %z").isEqualTo(1715677923123L);
    }

    @Test
    void unparseableTimeFallsBackToMinusOne() {
        assertThat(parse("{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"yesterday\"}")
                        .timeMillis())
                .isEqualTo(-1L);
    }
}
