package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.multiline.BuiltInRuleSets;
import dev.kubelogs.job.multiline.RuleSet;
import dev.kubelogs.job.multiline.SelectedRuleSet;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The incumbent's multiline behaviour on real-looking samples, plus what it cannot do (joined by default). */
class NodeProcessorMultilineTest {
    private static final String APP =
            "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + NodeProcessorTest.ID + ".log";
    private static final String T = "2024-05-14T09:12:03.123456789Z";

    private NodeHarness node;

    @BeforeEach
    void setUp() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
    }

    private static String cri(String stream, String tag, String text) {
        return T + " " + stream + " " + tag + " " + text;
    }

    private List<String> logs() throws Exception {
        List<String> logs = new ArrayList<>();
        for (String m : node.messages(Category.APPLICATION)) {
            logs.add(Json.MAPPER.readTree(m).get("log").textValue());
        }
        return logs;
    }

    private void criLines(String stream, String... lines) {
        for (String l : lines) {
            node.line(APP, SourceKind.CONTAINER, cri(stream, "F", l));
        }
    }

    @Test
    void javaExceptionWithCausedByAndMoreIsOneRecord() throws Exception {
        node.send(() -> criLines(
                "stderr",
                "before",
                "java.lang.IllegalStateException: order 42 failed",
                "\tat com.shop.Orders.create(Orders.java:88)",
                "\tat com.shop.Api.post(Api.java:17)",
                "Caused by: java.io.IOException: connection reset",
                "\tat java.base/sun.nio.ch.SocketDispatcher.read(SocketDispatcher.java:47)",
                "\t... 12 more",
                "after"));
        assertThat(logs())
                .containsExactly(
                        "before",
                        "java.lang.IllegalStateException: order 42 failed\n\tat com.shop.Orders.create(Orders.java:88)\n\tat com.shop.Api.post(Api.java:17)\n"
                                + "Caused by: java.io.IOException: connection reset\n\tat java.base/sun.nio.ch.SocketDispatcher.read(SocketDispatcher.java:47)\n\t... 12 more",
                        "after");
        // the first line's fields win
        JsonNode joined =
                Json.MAPPER.readTree(node.messages(Category.APPLICATION).get(1));
        assertThat(joined.get("time").textValue()).isEqualTo(T);
        assertThat(joined.get("stream").textValue()).isEqualTo("stderr");
        assertThat(node.application().get(1).timestamp).isEqualTo(1715677923123L);
    }

    @Test
    void dockerExceptionsWithoutAMessageAreJoinedLikeFluentBit() throws Exception {
        node.send(() -> {
            for (String l : List.of(
                    "java.lang.NullPointerException\\n",
                    "\\tat a.B.c(B.java:1)\\n",
                    "\\tat a.B.d(B.java:2)\\n",
                    "done\\n")) {
                node.line(
                        APP,
                        SourceKind.CONTAINER,
                        "{\"log\":\"" + l + "\",\"stream\":\"stderr\",\"time\":\"" + T + "\"}");
            }
        });
        assertThat(logs())
                .containsExactly(
                        "java.lang.NullPointerException\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)\n", "done\n");
    }

    private static String docker(String stream, String jsonEscapedLog) {
        return "{\"log\":\"" + jsonEscapedLog + "\",\"stream\":\"" + stream + "\",\"time\":\"" + T + "\"}";
    }

    @Test
    void aLineThatIsNeitherDockerNorCriBreaksThePendingTraceAndLeavesAfterItLikeFluentBit() throws Exception {
        node.send(() -> {
            node.line(APP, SourceKind.CONTAINER, docker("stderr", "java.lang.IllegalStateException: boom\\n"));
            node.line(APP, SourceKind.CONTAINER, "ory\":\"x\",\"stream\":\"stderr\"}");
            node.line(APP, SourceKind.CONTAINER, docker("stderr", "\\tat com.example.A.b(A.java:1)\\n"));
            node.line(APP, SourceKind.CONTAINER, docker("stderr", "done\\n"));
        });
        node.endOfInput();
        assertThat(logs())
                .containsExactly(
                        "java.lang.IllegalStateException: boom\n",
                        "ory\":\"x\",\"stream\":\"stderr\"}",
                        "\tat com.example.A.b(A.java:1)\n",
                        "done\n");
    }

    @Test
    void aPendingDockerPieceIsFlushedByARawLineNotAppendedToTheLineAfterIt() throws Exception {
        node.send(() -> {
            node.line(APP, SourceKind.CONTAINER, docker("stdout", "first piece, "));
            node.line(APP, SourceKind.CONTAINER, "garbage");
        });
        node.send(() -> node.line(APP, SourceKind.CONTAINER, docker("stdout", "next line\\n")));
        node.endOfInput();
        assertThat(logs()).containsExactly("first piece, ", "garbage", "next line\n");
    }

    @Test
    void aChangeOfRuntimeFormatFlushesThePendingPieceInsteadOfGluingTheFormats() throws Exception {
        node.send(() -> {
            node.line(APP, SourceKind.CONTAINER, docker("stdout", "docker piece, "));
            node.line(APP, SourceKind.CONTAINER, cri("stdout", "F", "cri line"));
            node.line(APP, SourceKind.CONTAINER, cri("stdout", "P", "cri piece, "));
        });
        node.send(() -> node.line(APP, SourceKind.CONTAINER, docker("stdout", "docker line\\n")));
        node.endOfInput();
        assertThat(logs()).containsExactly("docker piece, ", "cri line", "cri piece, ", "docker line\n");
    }

    @Test
    void nestedExceptionEndsTheRecordLikeFluentBit() throws Exception {
        node.send(() -> criLines(
                "stderr",
                "org.springframework.BeanCreationException: a",
                "nested exception is: ",
                "java.io.IOException: b",
                "\tat c.D.e(D.java:3)",
                "after"));
        assertThat(logs())
                .containsExactly(
                        "org.springframework.BeanCreationException: a\nnested exception is: ",
                        "java.io.IOException: b\n\tat c.D.e(D.java:3)",
                        "after");
    }

    @Test
    void aPythonRecordIsFlushedAsSoonAsItsExceptionLineArrives() throws Exception {
        node.send(() -> criLines(
                "stderr",
                "Traceback (most recent call last):",
                "  File \"/app/x.py\", line 1, in <module>",
                "    f()",
                "KeyError: 'k'"));
        assertThat(logs())
                .containsExactly(
                        "Traceback (most recent call last):\n  File \"/app/x.py\", line 1, in <module>\n    f()\nKeyError: 'k'");
    }

    @Test
    void pythonTraceback() throws Exception {
        node.send(() -> criLines(
                "stderr",
                "Traceback (most recent call last):",
                "  File \"/app/main.py\", line 10, in <module>",
                "    main()",
                "  File \"/app/main.py\", line 6, in main",
                "    raise ValueError(\"bad order\")",
                "ValueError: bad order",
                "INFO next request"));
        assertThat(logs())
                .containsExactly(
                        "Traceback (most recent call last):\n  File \"/app/main.py\", line 10, in <module>\n    main()\n"
                                + "  File \"/app/main.py\", line 6, in main\n    raise ValueError(\"bad order\")\nValueError: bad order",
                        "INFO next request");
    }

    @Test
    void goPanicWithGoroutines() throws Exception {
        node.send(() -> criLines(
                "stderr",
                "panic: runtime error: index out of range [3] with length 3",
                "",
                "goroutine 1 [running]:",
                "main.handler(0xc000012345)",
                "\t/app/main.go:42 +0x1d",
                "created by main.main",
                "\t/app/main.go:20 +0x5c",
                "level=info msg=recovered"));
        assertThat(logs())
                .containsExactly(
                        "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.handler(0xc000012345)\n"
                                + "\t/app/main.go:42 +0x1d\ncreated by main.main\n\t/app/main.go:20 +0x5c",
                        "level=info msg=recovered");
    }

    @Test
    void criPartialsAcrossSegmentsAreOneLineWithTheFirstPiecesFields() throws Exception {
        node.send(() -> node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:03.000000001Z stdout P first half, "));
        node.send(() -> node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:04.000000001Z stdout P middle, "));
        node.send(() -> node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:05.000000001Z stdout F end"));
        List<String> messages = node.messages(Category.APPLICATION);
        assertThat(messages).hasSize(1);
        JsonNode record = Json.MAPPER.readTree(messages.get(0));
        assertThat(record.get("log").textValue()).isEqualTo("first half, middle, end");
        assertThat(record.get("_p").textValue()).isEqualTo("P");
        assertThat(record.get("time").textValue()).isEqualTo("2024-05-14T09:12:03.000000001Z");
    }

    /**
     * containerd splits a long line at a byte count, so a character may be cut between a P piece and the next:
     * Fluent Bit joins the pieces' bytes before writing them, and the character is whole.
     */
    @Test
    void aCharacterTheRuntimeCutBetweenCriPiecesIsWholeInTheJoinedLine() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        node.send(() -> {
            node.line(
                    APP,
                    SourceKind.CONTAINER,
                    concat(cri("stdout", "P", "price 5").getBytes(StandardCharsets.UTF_8), euro[0]),
                    0);
            node.line(
                    APP,
                    SourceKind.CONTAINER,
                    concat(cri("stdout", "F", "").getBytes(StandardCharsets.UTF_8), euro[1], euro[2], (byte) '!'),
                    0);
        });
        assertThat(logs()).containsExactly("price 5€!");
        assertThat(node.messages(Category.APPLICATION).get(0)).contains("\"log\":\"price 5\\u20ac!\"");
    }

    /** A line that ends inside a character: Fluent Bit skips the cut sequence's lead byte and writes the rest. */
    @Test
    void aLineEndingInsideACharacterLosesTheLeadByteLikeFluentBit() throws Exception {
        node.send(() -> node.line(
                APP,
                SourceKind.CONTAINER,
                concat(cri("stdout", "F", "cut ").getBytes(StandardCharsets.UTF_8), (byte) 0xE2, (byte) 0x82),
                0));
        assertThat(node.messages(Category.APPLICATION).get(0))
                .startsWith("{\"time\":\"" + T + "\",\"stream\":\"stdout\",\"_p\":\"F\",\"log\":\"cut \uE082\",");
    }

    private static byte[] concat(byte[] head, byte... tail) {
        byte[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void docker16KiBPiecesAreJoined() throws Exception {
        String a = "x".repeat(16 * 1024);
        String b = "y".repeat(16 * 1024);
        node.send(() -> {
            node.line(
                    APP, SourceKind.CONTAINER, "{\"log\":\"" + a + "\",\"stream\":\"stdout\",\"time\":\"" + T + "\"}");
            node.line(
                    APP,
                    SourceKind.CONTAINER,
                    "{\"log\":\"" + b + "\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:04Z\"}");
            node.line(
                    APP,
                    SourceKind.CONTAINER,
                    "{\"log\":\"tail\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:05Z\"}");
        });
        assertThat(logs()).containsExactly(a + b + "tail\n");
        assertThat(Json.MAPPER
                        .readTree(node.messages(Category.APPLICATION).get(0))
                        .get("time")
                        .textValue())
                .isEqualTo(T);
    }

    @Test
    void aLineTheCollectorSplitIsReassembledBeforeParsing() throws Exception {
        byte[] whole = cri("stdout", "F", "z".repeat(5000)).getBytes(StandardCharsets.UTF_8);
        node.send(() -> {
            node.line(APP, SourceKind.CONTAINER, java.util.Arrays.copyOfRange(whole, 0, 2000), LineFlags.PARTIAL);
            node.line(APP, SourceKind.CONTAINER, java.util.Arrays.copyOfRange(whole, 2000, 4000), LineFlags.PARTIAL);
        });
        node.send(
                () -> node.line(APP, SourceKind.CONTAINER, java.util.Arrays.copyOfRange(whole, 4000, whole.length), 0));
        assertThat(logs()).containsExactly("z".repeat(5000));
    }

    @Test
    void aSplitLineWhoseLastPieceNeverCameIsShippedAtTheEndOfInput() throws Exception {
        node.send(() -> node.line(
                APP,
                SourceKind.CONTAINER,
                cri("stdout", "F", "head of a huge line").getBytes(StandardCharsets.UTF_8),
                LineFlags.PARTIAL));
        node.endOfInput();
        List<String> messages = node.messages(Category.APPLICATION);
        assertThat(messages).hasSize(1);
        JsonNode record = Json.MAPPER.readTree(messages.get(0));
        // parsed, not shipped raw: the CRI prefix gives the fields and the line's own time
        assertThat(record.get("log").textValue()).isEqualTo("head of a huge line");
        assertThat(record.get("time").textValue()).isEqualTo(T);
        assertThat(node.application().get(0).timestamp)
                .isEqualTo(java.time.Instant.parse(T).toEpochMilli());
        assertThat(record.get("multiline_truncated").booleanValue()).isTrue();
    }

    @Test
    void interleavedStdoutAndStderrKeepSeparateBuffers() throws Exception {
        node.send(() -> {
            node.line(APP, SourceKind.CONTAINER, cri("stderr", "F", "java.lang.RuntimeException: boom"));
            node.line(APP, SourceKind.CONTAINER, cri("stdout", "F", "GET /healthz 200"));
            node.line(APP, SourceKind.CONTAINER, cri("stderr", "F", "\tat a.B.c(B.java:1)"));
            node.line(APP, SourceKind.CONTAINER, cri("stdout", "F", "GET /orders 200"));
            node.line(APP, SourceKind.CONTAINER, cri("stderr", "F", "\tat a.B.d(B.java:2)"));
            node.line(APP, SourceKind.CONTAINER, cri("stderr", "F", "done"));
        });
        assertThat(logs())
                .containsExactly(
                        "GET /healthz 200",
                        "GET /orders 200",
                        "java.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)",
                        "done");
    }

    /**
     * Fluent Bit keeps a multiline stream per file (its inode, flb_ml stream per in_tail file): a CRI P piece left at
     * the end of a rotated file is not completed by the new file's first line; it leaves alone at the flush timeout.
     */
    @Test
    void aCriPieceIsNotJoinedAcrossARotation() throws Exception {
        node.send(() -> node.line(APP, SourceKind.CONTAINER, cri("stdout", "P", "end of the rotated file, ")));
        node.rotate(APP);
        node.send(() -> node.line(APP, SourceKind.CONTAINER, cri("stdout", "F", "first of the new file")));
        assertThat(logs()).containsExactly("first of the new file");
        node.advanceProcessingTime(4_200);
        assertThat(logs()).containsExactly("first of the new file", "end of the rotated file, ");
    }

    @Test
    void aPendingTraceIsFlushedAfterTheTimeout() throws Exception {
        node.send(() -> criLines("stderr", "java.lang.RuntimeException: boom", "\tat a.B.c(B.java:1)"));
        assertThat(logs()).isEmpty();
        node.advanceProcessingTime(3_000);
        assertThat(logs()).isEmpty();
        node.advanceProcessingTime(1_200);
        assertThat(logs()).containsExactly("java.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)");
        assertThat(node.harness.numKeyedStateEntries()).isGreaterThan(0);
        assertThat(node.harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aTraceWhoseStreamReadNothingForFourSecondsLeavesAtTheEndOfASegmentThatSaysTheCollectorCaughtUp()
            throws Exception {
        node.send(() -> criLines("stderr", "java.lang.RuntimeException: boom", "\tat a.B.c(B.java:1)"));
        node.caughtUp = node.readTime + 3_999;
        node.send(() -> {});
        assertThat(logs()).isEmpty();
        node.caughtUp = node.readTime + 4_000;
        node.send(() -> {});
        assertThat(logs())
                .as("without waiting for the flush timeout")
                .containsExactly("java.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)");
        node.advanceProcessingTime(60_000);
        node.endOfInput();
        assertThat(logs()).hasSize(1);
    }

    @Test
    void aTraceASegmentRollSplitIsJoinedWhenItsTailWasReadWithinFourSeconds() throws Exception {
        node.caughtUp = node.readTime; // the roll came just after the head was read
        node.send(() -> criLines("stderr", "java.lang.RuntimeException: boom", "\tat a.B.c(B.java:1)"));
        node.readTime += 3_900;
        node.caughtUp = node.readTime + 500;
        node.send(() -> criLines("stderr", "\tat a.B.d(B.java:2)"));
        assertThat(logs()).isEmpty();
        node.send(() -> criLines("stderr", "next"));
        assertThat(logs())
                .containsExactly(
                        "java.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)", "next");
    }

    @Test
    void endOfInputFlushesWhatIsPending() throws Exception {
        node.send(() -> criLines("stderr", "java.lang.RuntimeException: boom", "\tat a.B.c(B.java:1)"));
        node.send(() -> node.line(APP, SourceKind.CONTAINER, cri("stdout", "P", "half")));
        node.endOfInput();
        assertThat(logs()).containsExactlyInAnyOrder("java.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)", "half");
    }

    @Test
    void aSnapshotInTheMiddleOfATraceCompletesItOnceAfterRestore() throws Exception {
        node.send(() -> criLines("stderr", "java.lang.RuntimeException: boom", "\tat a.B.c(B.java:1)"));
        OperatorSubtaskState snapshot = node.snapshot();
        node.close();

        node.open(snapshot);
        // the upgrade took far longer than the flush timeout: the restored trace still gets its window
        node.advanceProcessingTime(600_000);
        assertThat(logs()).isEmpty();
        node.send(() -> criLines("stderr", "\tat a.B.d(B.java:2)", "next"));
        node.endOfInput();
        assertThat(logs())
                .containsExactly(
                        "java.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)", "next");
    }

    @Test
    void aRecordOverTheLimitIsFlushedMarkedTruncatedAndNothingIsLost() throws Exception {
        node.close();
        node = new NodeHarness(
                JobOptions.defaults().metadataWait(Duration.ZERO, 0).maxRecordBytes(100));
        node.send(() -> criLines(
                "stderr",
                "java.lang.RuntimeException: boom",
                "\tat a.B.c(B.java:1) " + "p".repeat(40),
                "\tat a.B.d(B.java:2) " + "q".repeat(40),
                "\tat a.B.e(B.java:3)",
                "end"));
        List<String> messages = node.messages(Category.APPLICATION);
        assertThat(Json.MAPPER
                        .readTree(messages.get(0))
                        .get("multiline_truncated")
                        .booleanValue())
                .isTrue();
        assertThat(String.join("\n", logs()))
                .isEqualTo(String.join(
                        "\n",
                        "java.lang.RuntimeException: boom",
                        "\tat a.B.c(B.java:1) " + "p".repeat(40),
                        "\tat a.B.d(B.java:2) " + "q".repeat(40),
                        "\tat a.B.e(B.java:3)",
                        "end"));
    }

    @Test
    void joiningCanBeTurnedOffLikeTheIncumbent() throws Exception {
        node.close();
        node = new NodeHarness(
                JobOptions.defaults().metadataWait(Duration.ZERO, 0).stackTraceJoining(false));
        node.send(() -> criLines("stderr", "java.lang.RuntimeException: boom", "\tat a.B.c(B.java:1)"));
        assertThat(logs()).containsExactly("java.lang.RuntimeException: boom", "\tat a.B.c(B.java:1)");
    }

    @Test
    void aRulesFileCanSelectTheBuiltInRubySetForSomeContainers() throws Exception {
        String[] backtrace = {
            "/app/models/order.rb:12:in `total': undefined method `+' for nil (NoMethodError)",
            "\tfrom /app/controllers/orders_controller.rb:8:in `create'",
            "\tfrom /app/main.rb:5:in `<main>'",
            "next"
        };
        node.send(() -> criLines("stderr", backtrace));
        node.endOfInput();
        assertThat(logs()).containsExactly(backtrace);

        node.close();
        node = NodeHarness.withUserRuleSets(new SelectedRuleSet("shop", "*", "*", BuiltInRuleSets.RUBY));
        node.send(() -> criLines("stderr", backtrace));
        node.endOfInput();
        assertThat(logs()).containsExactly(String.join("\n", backtrace[0], backtrace[1], backtrace[2]), "next");
    }

    @Test
    void userRuleSetsApplyToTheContainersTheySelect() throws Exception {
        node.close();
        RuleSet timestamps = RuleSet.builder("starts-with-date")
                .rule("start_state", "^\\d{4}-\\d{2}-\\d{2} ", "cont")
                .rule("cont", "^(?!\\d{4}-\\d{2}-\\d{2} )", "cont")
                .build();
        node = NodeHarness.withUserRuleSets(new SelectedRuleSet("shop", "orders-*", "*", timestamps));
        node.send(() -> criLines(
                "stdout",
                "2024-05-14 09:12:03 ERROR failed",
                "  detail one",
                "  detail two",
                "2024-05-14 09:12:04 INFO ok"));
        node.endOfInput();
        assertThat(logs())
                .containsExactly(
                        "2024-05-14 09:12:03 ERROR failed\n  detail one\n  detail two", "2024-05-14 09:12:04 INFO ok");
    }
}
