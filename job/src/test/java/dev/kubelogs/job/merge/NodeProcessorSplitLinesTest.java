package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.enrich.EventParts;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lines the collector split at its maximum line size, through the keyed stage: nothing lost, each record whole. */
public class NodeProcessorSplitLinesTest {
    static final String APP =
            "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + NodeProcessorTest.ID + ".log";
    static final String T = "2024-05-14T09:12:03.123456789Z";
    static final int COLLECTOR_MAX_LINE = 1 << 20;

    private NodeHarness node;

    @BeforeEach
    void setUp() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
    }

    /**
     * About {@code bytes} of text no JSON writer leaves alone: quotes, backslashes and tabs (escaped, so an event
     * grows past its text), and characters of 2, 3 and 4 UTF-8 bytes that the collector's cuts fall into.
     */
    public static String awkwardText(int bytes) {
        String unit = " \"q\" back\\slash\ttab é€\uD83D\uDE00 ";
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder sb = new StringBuilder(bytes);
        for (int i = 0, written = 0; written < bytes; i++) {
            String n = Integer.toString(i);
            sb.append(n).append(unit);
            written += n.length() + unitBytes;
        }
        return sb.toString();
    }

    /** Sends a physical line as the collector writes it: PARTIAL pieces of its maximum, the rest with lastFlags. */
    static void sendAsCollectorPieces(NodeHarness node, String path, byte[] line, int lastFlags) throws Exception {
        for (int from = 0; from < line.length; from += COLLECTOR_MAX_LINE) {
            int to = Math.min(line.length, from + COLLECTOR_MAX_LINE);
            byte[] piece = Arrays.copyOfRange(line, from, to);
            int flags = to < line.length ? LineFlags.PARTIAL : lastFlags;
            node.send(() -> node.line(path, SourceKind.CONTAINER, piece, flags));
        }
    }

    @Test
    void aFiftyMegabyteCriLineWithoutNewlineArrivesWholeInValidEventsWithItsOwnTime() throws Exception {
        String content = awkwardText(50_000_000);
        byte[] line = (T + " stdout F " + content).getBytes(StandardCharsets.UTF_8);
        assertThat(line.length).isGreaterThan(50_000_000);

        sendAsCollectorPieces(node, APP, line, LineFlags.NO_NEWLINE);

        List<CloudWatchEvent> events = node.application();
        LongLine landed = LongLine.of(events.stream().map(e -> e.message()).toList());
        assertSameText(landed.text(), content);
        assertThat(events)
                .allSatisfy(
                        e -> assertThat(e.timestamp).isEqualTo(Instant.parse(T).toEpochMilli()));
        assertThat(landed.maxEventBytes()).isLessThanOrEqualTo(BatchCutter.MAX_EVENT_BYTES);
        // 25 records of the 2,000,000-byte limit (cut between characters) and the last few bytes; this text grows by
        // an eighth when escaped, so each full record takes three CloudWatch events
        assertThat(landed.records()).isEqualTo(26);
        assertThat(events.size()).isEqualTo(25 * 3 + 1);
        assertThat(landed.truncatedRecords()).isEqualTo(landed.records() - 1);
        for (JsonNode event : landed.events()) {
            assertThat(event.get("time").textValue()).isEqualTo(T);
            assertThat(event.get("stream").textValue()).isEqualTo("stdout");
            assertThat(event.get("_p").textValue()).isEqualTo("F");
            assertThat(event.get("kubernetes").get("pod_name").textValue()).isEqualTo("orders-7d9c6b7f9d-x2m4q");
        }
        assertThat(node.out(Category.DEAD_LETTER)).isEmpty();
    }

    @Test
    void aLongPlainTextLineTakesTwoEventsPerRecord() throws Exception {
        String content = "plain text ".repeat(1_000_000);
        byte[] line = (T + " stdout F " + content).getBytes(StandardCharsets.UTF_8);
        sendAsCollectorPieces(node, APP, line, 0);

        LongLine landed = LongLine.of(node.messages(Category.APPLICATION));
        assertSameText(landed.text(), content);
        // 11,000,040 bytes: five records of 2,000,000 bytes in two events each, and the rest in one
        assertThat(landed.records()).isEqualTo(6);
        assertThat(node.application().size()).isEqualTo(5 * 2 + 1);
        assertThat(landed.maxEventBytes()).isLessThanOrEqualTo(BatchCutter.MAX_EVENT_BYTES);
    }

    @Test
    void aLongLineInterruptedByASnapshotContinuesWithTheSameFieldsAfterRestore() throws Exception {
        node.close();
        node = new NodeHarness(
                JobOptions.defaults().metadataWait(Duration.ZERO, 0).maxRecordBytes(1_000));
        String content = "0123456789".repeat(450);
        byte[] line = (T + " stderr F " + content).getBytes(StandardCharsets.UTF_8);
        byte[] first = Arrays.copyOfRange(line, 0, 1_500);
        byte[] second = Arrays.copyOfRange(line, 1_500, 3_000);
        byte[] last = Arrays.copyOfRange(line, 3_000, line.length);
        node.send(() -> {
            node.line(APP, SourceKind.CONTAINER, first, LineFlags.PARTIAL);
            node.line(APP, SourceKind.CONTAINER, second, LineFlags.PARTIAL);
        });
        OperatorSubtaskState snapshot = node.snapshot();
        List<CloudWatchEvent> events = new java.util.ArrayList<>(node.application());
        node.close();

        node.open(snapshot);
        node.send(() -> node.line(APP, SourceKind.CONTAINER, last, 0));
        node.endOfInput();
        events.addAll(node.application());

        LongLine landed = LongLine.of(events.stream().map(e -> e.message()).toList());
        assertSameText(landed.text(), content);
        assertThat(landed.records()).isEqualTo(5);
        assertThat(landed.truncatedRecords()).isEqualTo(4);
        assertThat(landed.events())
                .allSatisfy(e -> assertThat(e.get("stream").textValue()).isEqualTo("stderr"));
        assertThat(events)
                .allSatisfy(
                        e -> assertThat(e.timestamp).isEqualTo(Instant.parse(T).toEpochMilli()));
        // each record says where in the file it starts: the line's first byte, then every 1,000 bytes on
        assertThat(events).extracting(e -> e.sourceOffset).containsExactly(0L, 1_000L, 2_000L, 3_000L, 4_000L);
    }

    /** Equal texts, or a failure that shows where they part (not two texts of 50 MB). */
    public static void assertSameText(String actual, String expected) {
        int i = 0;
        int common = Math.min(actual.length(), expected.length());
        while (i < common && actual.charAt(i) == expected.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 40);
        assertThat(actual.substring(from, Math.min(actual.length(), i + 40)))
                .as("text from char %d of %d (expected %d chars)", from, actual.length(), expected.length())
                .isEqualTo(expected.substring(from, Math.min(expected.length(), i + 40)));
        assertThat(actual.length()).isEqualTo(expected.length());
    }

    /** The events of one long line, read back: the text their parts carry, in order, and what they say. */
    public record LongLine(List<JsonNode> events, String text, int records, int truncatedRecords, int maxEventBytes) {
        public static LongLine of(List<String> messages) throws Exception {
            List<JsonNode> events = new java.util.ArrayList<>();
            StringBuilder text = new StringBuilder();
            int records = 0;
            int truncated = 0;
            int maxBytes = 0;
            int expectedIndex = 0;
            for (String message : messages) {
                maxBytes = Math.max(maxBytes, message.getBytes(StandardCharsets.UTF_8).length);
                JsonNode event = Json.MAPPER.readTree(message);
                events.add(event);
                JsonNode part = event.get(EventParts.PART_KEY);
                int index = part == null ? 0 : part.get("index").intValue();
                assertThat(index).as("parts in order").isEqualTo(expectedIndex);
                boolean lastPart = part == null || index == part.get("count").intValue() - 1;
                expectedIndex = lastPart ? 0 : index + 1;
                if (index == 0) {
                    records++;
                    if (event.path("multiline_truncated").asBoolean()) {
                        truncated++;
                    }
                }
                text.append(event.get("log").textValue());
            }
            assertThat(expectedIndex).as("the last record has all its parts").isZero();
            return new LongLine(events, text.toString(), records, truncated, maxBytes);
        }
    }
}
