package dev.kubelogs.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.merge.StreamBuffer;
import dev.kubelogs.job.multiline.BuiltInRuleSets;
import dev.kubelogs.job.multiline.MultilineJoiner;
import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.ContainerLineParser;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.parse.TrickyJsonText;
import dev.kubelogs.job.parse.Utf8Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Records as values against records as Jackson trees, which the line's way took before: for generated and tricky
 * Docker, CRI and raw lines, each step a record takes on its way (parse, the split-line joiner's state without
 * {@code log} and its later records, the multiline joiner's state and joined text, {@code multiline_truncated}, the
 * metadata wait's state) is taken both ways, and the events written of them are the same bytes.
 */
class LineRecordDifferentialTest {
    /** A pod's block as the keyed stage writes it, with the job's mapper. */
    private static final String KUBERNETES =
            "{\"pod_name\":\"web-1\",\"labels\":{\"app\":\"a\\\"b\\u0001\\u00e9\\ud83d\\ude00\"}}";

    private static final Pattern SURROGATE_ESCAPE = Pattern.compile("\\\\u[dD][89a-fA-F]");
    private static final Map<String, String> ATTRIBUTES =
            Map.of(EventJson.AZ, "us-west-2a", EventJson.EC2_INSTANCE_ID, "i-1");

    @Test
    void everyStepOfALineGivesTheSameEventsAsTheTree() throws Exception {
        Random random = new Random(16);
        TrickyJsonText tricky = new TrickyJsonText(random);
        int docker = 0;
        for (int i = 0; i < 6_000; i++) {
            byte[] line = line(i, random, tricky).getBytes(StandardCharsets.UTF_8);
            ContainerLine parsed = ContainerLineParser.parse(line);
            ObjectNode tree = treeOf(parsed, line);
            if (tree == null) {
                continue; // the lenient and surrogate paths build the tree first, as before
            }
            docker += parsed.format() == ContainerLine.Format.DOCKER ? 1 : 0;
            LineRecord record = parsed.record();
            String state = Json.MAPPER.writeValueAsString(tree);
            assertThat(record.toJson()).as("record of %s", parsed).isEqualTo(state);
            assertSameEvents(record, tree);

            // the metadata wait and the multiline joiner keep the record as JSON and read it back
            assertSameEvents(LineRecord.parse(record.toJson()), (ObjectNode) Json.MAPPER.readTree(state));

            // the multiline joiner: the first line's record with the joined text, marked when cut at the limit
            String joined = parsed.log() + "\tat a.b.C.d(C.java:" + i + ")\n";
            ObjectNode joinedTree = ((ObjectNode) Json.MAPPER.readTree(state)).put("log", joined);
            LineRecord joinedRecord = LineRecord.parse(record.toJson()).with("log", joined);
            assertSameEvents(joinedRecord, joinedTree);
            assertSameEvents(joinedRecord.withTrue("multiline_truncated"), joinedTree.put("multiline_truncated", true));

            // the split-line joiner: the head's fields without log in state, each later record's text put last
            String splitState = Json.MAPPER.writeValueAsString(tree.deepCopy().without("log"));
            assertThat(record.without("log").toJson()).isEqualTo(splitState);
            String share = Utf8Text.decode(line, 0, line.length / 2);
            ObjectNode shareTree = ((ObjectNode) Json.MAPPER.readTree(splitState)).put("log", share);
            assertSameEvents(LineRecord.parse(splitState).with("log", share), shareTree);
        }
        assertThat(docker).isGreaterThan(500);
    }

    @Test
    void theMultilineJoinerEmitsWhatTheTreesGave() throws Exception {
        MultilineJoiner joiner = new MultilineJoiner(BuiltInRuleSets.DEFAULT_APPLICATION, 400);
        StreamBuffer buffer = new StreamBuffer();
        List<LineRecord> out = new ArrayList<>();
        List<Boolean> truncated = new ArrayList<>();
        MultilineJoiner.Output sink = (record, time, offset, cut) -> {
            out.add(record);
            truncated.add(cut);
        };
        List<ObjectNode> expected = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 300; i++) {
            String extra = random.nextInt(4) == 0 ? ",\"attrs\":{\"n\":" + i + ",\"q\":\"\\u00e9\"}" : "";
            String head = "{\"log\":\"java.lang.IllegalStateException: boom " + i + "\\n\",\"stream\":\"stdout\""
                    + extra + ",\"time\":\"2024-05-14T09:12:03.1Z\"}";
            ContainerLine first = ContainerLineParser.parse(head.getBytes(StandardCharsets.UTF_8));
            joiner.finalPiece(buffer, first.format(), first.record(), first.log(), i, i, sink);
            StringBuilder text = new StringBuilder(first.log());
            int frames = random.nextInt(40);
            for (int f = 0; f < frames; f++) {
                String frame = "\\tat a.b.C.m" + f + "(C.java:" + f + ")\\n";
                ContainerLine next = ContainerLineParser.parse(
                        ("{\"log\":\"" + frame + "\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03.2Z\"}")
                                .getBytes(StandardCharsets.UTF_8));
                joiner.finalPiece(buffer, next.format(), next.record(), next.log(), i, i, sink);
                text.append(next.log());
            }
            ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(head);
            expected.add(tree);
        }
        joiner.flushAll(buffer, sink);
        // each emitted record is the first line's tree with the text the joiner holds, marked when cut
        int exceptions = 0;
        for (int k = 0; k < out.size(); k++) {
            LineRecord record = out.get(k);
            String log = record.text("log");
            ObjectNode tree;
            if (log.startsWith("java.lang.IllegalStateException")) {
                tree = expected.get(exceptions++).deepCopy();
            } else {
                // a line after a cut leaves alone, with its own fields
                tree = (ObjectNode) Json.MAPPER.readTree(
                        "{\"log\":\"\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03.2Z\"}");
            }
            tree.put("log", log);
            if (truncated.get(k)) {
                tree.put("multiline_truncated", true);
                record = record.withTrue("multiline_truncated");
            }
            assertSameEvents(record, tree);
        }
        assertThat(exceptions).isEqualTo(300);
    }

    /** The application, unenriched and dataplane events of the record and of the tree, as the tree was written. */
    private static void assertSameEvents(LineRecord record, ObjectNode tree) throws Exception {
        JsonNode kubernetesTree = Json.MAPPER.readTree(KUBERNETES);
        String log = tree.path("log").isTextual() ? tree.get("log").textValue() : null;
        ObjectNode application = asWritten(tree);
        ObjectNode processed = log == null ? null : EventJson.mergeLog(log);
        if (processed != null) {
            application.set("log_processed", processed);
        }
        application.set("kubernetes", kubernetesTree);
        assertThat(new String(EventJson.application(record, KUBERNETES), StandardCharsets.UTF_8))
                .isEqualTo(Json.MAPPER.writeValueAsString(application));

        assertThat(EventJson.unenriched(record)).isEqualTo(Json.MAPPER.writeValueAsBytes(asWritten(tree)));

        ObjectNode dataplane = asWritten(tree);
        dataplane.put(EventJson.AZ, "us-west-2a");
        dataplane.put(EventJson.EC2_INSTANCE_ID, "i-1");
        assertThat(EventJson.dataplaneTail(record, ATTRIBUTES)).isEqualTo(Json.MAPPER.writeValueAsBytes(dataplane));
        assertThat(EventJson.hostFile(record, ATTRIBUTES)).isEqualTo(Json.MAPPER.writeValueAsBytes(dataplane));
    }

    /** The tree with its own top-level strings as the event writer writes a string's end. */
    private static ObjectNode asWritten(ObjectNode tree) {
        ObjectNode copy = tree.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> fields = copy.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isTextual()) {
                f.setValue(JsonNodeFactory.instance.textNode(
                        Utf8Text.dropCutSequenceAtEnd(f.getValue().textValue())));
            }
        }
        return copy;
    }

    /** The record the line's tree was: the tree reader's for Docker lines, CRI's four fields, raw text as log. */
    private static ObjectNode treeOf(ContainerLine parsed, byte[] line) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        switch (parsed.format()) {
            case DOCKER:
                if (SURROGATE_ESCAPE
                        .matcher(new String(line, StandardCharsets.UTF_8))
                        .find()) {
                    return null; // Fluent Bit unescapes these one by one where the tree reader joins them
                }
                try {
                    return (ObjectNode) Json.MAPPER.readTree(line);
                } catch (Exception e) {
                    return null;
                }
            case CRI:
                String text = new String(line, StandardCharsets.UTF_8);
                int space = text.indexOf(' ');
                return tree.put("time", text.substring(0, space))
                        .put("stream", parsed.stream())
                        .put("_p", parsed.partial() ? "P" : "F")
                        .put("log", parsed.log());
            default:
                return tree.put("log", parsed.log());
        }
    }

    private static String line(int i, Random random, TrickyJsonText tricky) {
        switch (i % 4) {
            case 0:
                return tricky.objectOrNot();
            case 1:
                // a Docker line whose log is tricky JSON (Merge_Log), with extra fields of any kind now and then
                String log = tricky.object(0);
                StringBuilder out = new StringBuilder("{\"log\":");
                out.append(jsonString(log + (random.nextBoolean() ? "\n" : "")));
                out.append(",\"stream\":\"")
                        .append(random.nextBoolean() ? "stdout" : "stderr")
                        .append('"');
                if (random.nextInt(3) == 0) {
                    out.append(",").append(tricky.key()).append(':').append(tricky.value(1));
                }
                return out.append(",\"time\":\"2024-05-14T09:12:03.123456789Z\"}")
                        .toString();
            case 2:
                return "2024-05-14T09:12:03.123456789Z " + (random.nextBoolean() ? "stdout" : "stderr") + " "
                        + (random.nextInt(5) == 0 ? "P" : "F") + " " + tricky.string();
            default:
                return random.nextBoolean() ? "plain text " + i : tricky.string();
        }
    }

    private static String jsonString(String text) {
        try {
            return Json.MAPPER.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
