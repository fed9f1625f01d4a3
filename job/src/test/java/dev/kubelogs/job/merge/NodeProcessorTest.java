package dev.kubelogs.job.merge;

import static dev.kubelogs.job.merge.NodeHarness.NODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.multiline.RuleSet;
import dev.kubelogs.job.multiline.SelectedRuleSet;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.JournalSources;
import dev.kubelogs.spool.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing, parsing, event JSON and replay dedupe of the keyed stage (no pod metadata involved). */
class NodeProcessorTest {
    static final String ID = "3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b";
    private static final String AZ = ",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc123def4567890\"";

    private NodeHarness node;

    @BeforeEach
    void setUp() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
    }

    @Test
    void dockerApplicationLineWithoutPodMetadataGetsTheFileNameFields() throws Exception {
        String path = "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + ID + ".log";
        node.send(
                () -> node.line(
                        path,
                        SourceKind.CONTAINER,
                        "{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"orderId\\\":42}\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03.123456789Z\"}"));

        CloudWatchEvent e = node.application().get(0);
        assertThat(node.application()).hasSize(1);
        assertThat(e.logGroup).isEqualTo("/aws/containerinsights/prod/application");
        assertThat(e.logStream)
                .isEqualTo(NODE + "-application.var.log.containers.orders-7d9c6b7f9d-x2m4q_shop_orders-" + ID + ".log");
        assertThat(e.timestamp).isEqualTo(1715677923123L);
        assertThat(e.message())
                .isEqualTo("{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"orderId\\\":42}\\n\",\"stream\":\"stdout\","
                        + "\"time\":\"2024-05-14T09:12:03.123456789Z\",\"log_processed\":{\"level\":\"info\",\"orderId\":42},"
                        + "\"kubernetes\":{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\":\"shop\",\"container_name\":\"orders\",\"docker_id\":\""
                        + ID + "\"}}");
    }

    @Test
    void aFileNameOutsideTheKubeletPatternIsLeftUntouchedByTheKubernetesFilter() throws Exception {
        node.send(() -> node.line(
                "/var/log/containers/not-a-kubelet-name.log",
                SourceKind.CONTAINER,
                "2024-05-14T09:12:03Z stdout F {\"a\":1}"));
        // no kubernetes block and no log_processed: Fluent Bit's filter returns NOTOUCH
        assertThat(node.messages(Category.APPLICATION))
                .containsExactly(
                        "{\"time\":\"2024-05-14T09:12:03Z\",\"stream\":\"stdout\",\"_p\":\"F\",\"log\":\"{\\\"a\\\":1}\"}");
    }

    @Test
    void onlyAWholeJsonObjectBecomesLogProcessed() throws Exception {
        String path = "/var/log/containers/web-1_default_web-" + ID + ".log";
        node.send(() -> {
            node.line(path, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stdout F {\"a\":1} trailing text");
            node.line(path, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stdout F [1,2]");
            node.line(path, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stdout F {\"msg\":\"x\\n\"}");
        });
        List<String> m = node.messages(Category.APPLICATION);
        assertThat(m.get(0)).doesNotContain("log_processed");
        assertThat(m.get(1)).doesNotContain("log_processed");
        assertThat(m.get(2)).contains("\"log_processed\":{\"msg\":\"x\"}");
    }

    @Test
    void aDockerLineOverOneEventKeepsItsKubernetesBlockInEveryPart() throws Exception {
        String path = "/var/log/containers/web-1_default_web-" + ID + ".log";
        String log = "x".repeat(1 << 20) + "\n";
        byte[] line = ("{\"log\":\"" + log.replace("\n", "\\n") + "\",\"stream\":\"stdout\","
                        + "\"time\":\"2024-05-14T09:12:03.5Z\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // over the collector's 1 MiB line maximum: it arrives in two pieces
        NodeProcessorSplitLinesTest.sendAsCollectorPieces(node, path, line, 0);

        List<CloudWatchEvent> events = node.application();
        assertThat(events.size()).isEqualTo(2);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            CloudWatchEvent e = events.get(i);
            assertThat(e.message().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(dev.kubelogs.job.sink.cloudwatch.BatchCutter.MAX_EVENT_BYTES);
            assertThat(e.timestamp)
                    .isEqualTo(Instant.parse("2024-05-14T09:12:03.5Z").toEpochMilli());
            com.fasterxml.jackson.databind.JsonNode event = dev.kubelogs.job.parse.Json.MAPPER.readTree(e.message());
            assertThat(event.get("kubernetes").toString())
                    .isEqualTo("{\"pod_name\":\"web-1\","
                            + "\"namespace_name\":\"default\",\"container_name\":\"web\",\"docker_id\":\"" + ID
                            + "\"}");
            assertThat(event.get("kubelogs_part").toString()).isEqualTo("{\"index\":" + i + ",\"count\":2}");
            assertThat(event.get("stream").textValue()).isEqualTo("stdout");
            joined.append(event.get("log").textValue());
        }
        assertThat(joined.toString()).isEqualTo(log);
    }

    @Test
    void aDockerLineWithInvalidUtf8AndANulIsParsedAndKeepsItsOwnTime() throws Exception {
        String path = "/var/log/containers/web-1_default_web-" + ID + ".log";
        byte[] line = "{\"log\":\"a?b?c\\n\",\"stream\":\"stderr\",\"time\":\"2024-05-14T09:12:03.123Z\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        line[9] = (byte) 0xFF; // never valid in UTF-8
        line[11] = 0; // NUL, unescaped
        node.send(() -> node.line(path, SourceKind.CONTAINER, line, 0));

        CloudWatchEvent e = node.application().get(0);
        // the line's own time, not the time it was read; 0xFF announces a 6-byte sequence that would run past the
        // end of the log, so Fluent Bit skips it (flb_utils_write_str_escaped)
        assertThat(e.timestamp)
                .isEqualTo(Instant.parse("2024-05-14T09:12:03.123Z").toEpochMilli());
        assertThat(e.message())
                .startsWith("{\"log\":\"ab\\u0000c\\n\",\"stream\":\"stderr\","
                        + "\"time\":\"2024-05-14T09:12:03.123Z\",\"kubernetes\":{");
    }

    @Test
    void aReplacedNodeReusingTheNameAndInodesIsNotTakenForAReplay() throws Exception {
        String path = "/var/log/messages";
        node.send(() -> node.line(path, SourceKind.HOST_FILE, "Nov 14 22:13:20 h systemd[1]: old node"));
        // the new machine (another boot id) starts its files at offset 0 again, with the same inode numbers
        java.util.List<SpoolRecord> fresh = node.segment(node.takeSeq(), () -> {});
        SpoolRecord line = SpoolRecord.line(
                new dev.kubelogs.spool.SegmentHeader(
                        NodeHarness.CLUSTER, NODE, 1, 1L, java.util.Map.of(SpoolRecord.BOOT_ID, "another-boot")),
                1,
                new dev.kubelogs.spool.LineEntry(
                        new dev.kubelogs.spool.FileRef(path, 2049, 100, 0, SourceKind.HOST_FILE),
                        0,
                        "Nov 14 22:13:21 h systemd[1]: new node".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        0,
                        1L));
        fresh.add(1, line);
        node.send(fresh);
        assertThat(node.out(Category.HOST)).extracting(e -> e.message()).hasSize(2);
    }

    @Test
    void aCatastrophicUserRuleGivesUpOnItsLineInsteadOfStallingTheSubtask() throws Exception {
        node.close();
        RuleSet hostile = RuleSet.builder("hostile")
                .userRule("start_state", "(.*a){12}$", "cont")
                .userRule("cont", "^\\s", "cont")
                .build();
        node = NodeHarness.withUserRuleSets(new SelectedRuleSet("shop", "orders-*", "*", hostile));
        String orders = "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + ID + ".log";
        String web = "/var/log/containers/frontend-6b8f9c7d5-k2j4h_web_nginx-" + ID + ".log";
        String otherNode = "ip-192-168-99-1.us-west-2.compute.internal";
        String t = "2024-05-14T09:12:03Z ";
        node.send(() -> {
            node.line(orders, SourceKind.CONTAINER, t + "stderr F java.lang.IllegalStateException: boom");
            node.line(orders, SourceKind.CONTAINER, t + "stderr F " + "a".repeat(60) + "!");
            node.line(orders, SourceKind.CONTAINER, t + "stderr F \tat a.B.c(B.java:1)");
            node.line(web, SourceKind.CONTAINER, t + "stdout F GET / 200");
        });
        node.sendFrom(
                otherNode,
                0,
                () -> node.line(web.replace("k2j4h", "z9z9z"), SourceKind.CONTAINER, t + "stdout F from another node"));
        node.endOfInput();

        // the pending trace was flushed before the line the rule gave up on, which went out alone
        assertThat(node.application())
                .extracting(e -> Json.MAPPER.readTree(e.message()).get("log").textValue())
                .containsExactly(
                        "java.lang.IllegalStateException: boom",
                        "a".repeat(60) + "!",
                        "\tat a.B.c(B.java:1)",
                        "GET / 200",
                        "from another node");
        assertThat(node.application().get(4).logStream).startsWith(otherNode);
        assertThat(node.counter("multilineRuleFailures")).isEqualTo(1);
    }

    @Test
    void journalEntriesNoInputSelectsAreNotEmitted() throws Exception {
        node.send(
                () -> node.line(
                        "journal",
                        SourceKind.JOURNAL,
                        "{\"__REALTIME_TIMESTAMP\":\"1\",\"_SYSTEMD_UNIT\":\"sshd.service\",\"PRIORITY\":\"7\",\"MESSAGE\":\"debug\"}"));
        assertThat(node.out(Category.HOST)).isEmpty();
        assertThat(node.out(Category.DATAPLANE)).isEmpty();
        assertThat(node.out(Category.DEAD_LETTER)).isEmpty();
    }

    @Test
    void awsNodeGoesToDataplaneWithAwsFieldsAndNoKubernetes() throws Exception {
        String path = "/var/log/containers/aws-node-7xk2p_kube-system_aws-node-" + ID + ".log";
        node.send(() -> node.line(
                path,
                SourceKind.CONTAINER,
                "2024-05-14T09:12:03.1Z stderr F {\"level\":\"info\",\"msg\":\"Received ADD\"}"));
        List<CloudWatchEvent> dp = node.out(Category.DATAPLANE);
        assertThat(dp).hasSize(1);
        assertThat(dp.get(0).logGroup).isEqualTo("/aws/containerinsights/prod/dataplane");
        assertThat(dp.get(0).logStream)
                .isEqualTo(
                        NODE + "-dataplane.tail.var.log.containers.aws-node-7xk2p_kube-system_aws-node-" + ID + ".log");
        assertThat(dp.get(0).message())
                .isEqualTo("{\"time\":\"2024-05-14T09:12:03.1Z\",\"stream\":\"stderr\",\"_p\":\"F\","
                        + "\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"msg\\\":\\\"Received ADD\\\"}\"" + AZ + "}");
        assertThat(node.application()).isEmpty();
    }

    @Test
    void fluentdIsDroppedAndNothingElseIs() throws Exception {
        node.send(() -> node.line(
                "/var/log/containers/fluentd-x_logging_fluentd-" + ID + ".log",
                SourceKind.CONTAINER,
                "2024-05-14T09:12:03.1Z stdout F hello"));
        assertThat(node.application()).isEmpty();
        assertThat(node.out(Category.DATAPLANE)).isEmpty();
        assertThat(node.out(Category.DEAD_LETTER)).isEmpty();
    }

    @Test
    void hostFilesUseTheLegacyTailShapes() throws Exception {
        node.send(() -> {
            node.line(
                    "/var/log/messages",
                    SourceKind.HOST_FILE,
                    "Nov 14 22:13:20 ip-10-0-1-5 systemd[1]: Started kubelet.");
            node.line("/var/log/dmesg", SourceKind.HOST_FILE, "[    5.123456] ena 0000:00:05.0: up");
            node.line("/var/log/secure", SourceKind.HOST_FILE, "garbage-without-any-syslog-shape");
        });
        List<CloudWatchEvent> host = node.out(Category.HOST);
        assertThat(host)
                .extracting(e -> e.logStream)
                .containsExactly(NODE + ".host.messages", NODE + ".host.dmesg", NODE + ".host.secure");
        assertThat(host.get(0).message())
                .isEqualTo(
                        "{\"host\":\"ip-10-0-1-5\",\"ident\":\"systemd\",\"pid\":\"1\",\"message\":\"Started kubelet.\""
                                + AZ + "}");
        assertThat(host.get(0).timestamp)
                .isEqualTo(Instant.parse("2023-11-14T22:13:20Z").toEpochMilli());
        assertThat(host.get(1).message()).isEqualTo("{\"message\":\"[    5.123456] ena 0000:00:05.0: up\"" + AZ + "}");
        assertThat(host.get(1).timestamp).isEqualTo(1_700_000_000_500L);
        assertThat(host.get(2).message()).isEqualTo("{\"log\":\"garbage-without-any-syslog-shape\"" + AZ + "}");
    }

    @Test
    void journalEntriesGoToEveryMatchingStream() throws Exception {
        node.send(() -> {
            node.line(
                    "journal",
                    SourceKind.JOURNAL,
                    "{\"__REALTIME_TIMESTAMP\":\"1700000000123456\",\"_HOSTNAME\":\"ip-10-0-1-5\","
                            + "\"_SYSTEMD_UNIT\":\"kubelet.service\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"3\",\"SYSLOG_IDENTIFIER\":\"kubelet\","
                            + "\"SYSLOG_PID\":\"3366\",\"MESSAGE\":\"I1114 SyncLoop ADD\",\"_TRANSPORT\":\"stdout\"}");
            node.line(
                    "journal",
                    SourceKind.JOURNAL,
                    "{\"__REALTIME_TIMESTAMP\":\"1700000000200000\",\"_HOSTNAME\":\"ip-10-0-1-5\","
                            + "\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"10\",\"SYSLOG_IDENTIFIER\":\"sshd\",\"SYSLOG_PID\":\"4121\","
                            + "\"MESSAGE\":\"Accepted publickey\",\"_TRANSPORT\":\"syslog\"}");
            node.line(
                    "journal",
                    SourceKind.JOURNAL,
                    "{\"__REALTIME_TIMESTAMP\":\"1700000000300000\",\"_HOSTNAME\":\"ip-10-0-1-5\","
                            + "\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"0\",\"SYSLOG_IDENTIFIER\":\"kernel\",\"MESSAGE\":\"eth0: link up\",\"_TRANSPORT\":\"kernel\"}");
        });
        List<CloudWatchEvent> dp = node.out(Category.DATAPLANE);
        assertThat(dp).hasSize(1);
        assertThat(dp.get(0).logStream).isEqualTo(NODE + "-dataplane.systemd.kubelet.service");
        assertThat(dp.get(0).message())
                .isEqualTo(
                        "{\"hostname\":\"ip-10-0-1-5\",\"systemd_unit\":\"kubelet.service\",\"message\":\"I1114 SyncLoop ADD\""
                                + AZ + "}");
        assertThat(dp.get(0).timestamp).isEqualTo(1700000000123L);
        // kubelet (priority 6, facility 3) → messages; sshd (facility 10) → secure only; kernel → dmesg and messages
        assertThat(node.out(Category.HOST))
                .extracting(e -> e.logStream)
                .containsExactly(
                        NODE + ".host.messages", NODE + ".host.secure", NODE + ".host.dmesg", NODE + ".host.messages");
        assertThat(node.out(Category.HOST).get(1).message())
                .isEqualTo(
                        "{\"host\":\"ip-10-0-1-5\",\"ident\":\"sshd\",\"pid\":\"4121\",\"message\":\"Accepted publickey\""
                                + AZ + "}");
    }

    @Test
    void aJournalReadOnlyForTheDataplaneUnitsFeedsNoHostStream() throws Exception {
        // HOST_LOGS=files: /var/log/messages already has the kubelet's lines; the journal adds its dataplane stream
        node.send(() -> node.line(
                JournalSources.DATAPLANE_ONLY,
                SourceKind.JOURNAL,
                "{\"__REALTIME_TIMESTAMP\":\"1700000000123456\",\"_HOSTNAME\":\"ip-10-0-1-5\","
                        + "\"_SYSTEMD_UNIT\":\"kubelet.service\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"3\","
                        + "\"MESSAGE\":\"I1114 SyncLoop ADD\",\"_TRANSPORT\":\"stdout\"}"));
        assertThat(node.out(Category.DATAPLANE))
                .extracting(e -> e.logStream)
                .containsExactly(NODE + "-dataplane.systemd.kubelet.service");
        assertThat(node.out(Category.HOST)).isEmpty();
    }

    @Test
    void aReplayedSegmentProducesNothingNewEvenAfterRestore() throws Exception {
        String path = "/var/log/containers/web-1_default_web-" + ID + ".log";
        List<SpoolRecord> first = node.segment(
                node.takeSeq(), () -> node.line(path, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stdout F one"));
        List<SpoolRecord> second = node.segment(
                node.takeSeq(), () -> node.line(path, SourceKind.CONTAINER, "2024-05-14T09:12:04Z stdout F two"));
        node.send(first);
        OperatorSubtaskState snapshot = node.snapshot();
        node.send(second);
        node.close();

        node.open(snapshot);
        // after a failure the source reads both segments again, and the second twice
        node.send(first);
        node.send(second);
        node.send(second);
        assertThat(node.messages(Category.APPLICATION))
                .containsExactly(
                        "{\"time\":\"2024-05-14T09:12:04Z\",\"stream\":\"stdout\",\"_p\":\"F\",\"log\":\"two\",\"kubernetes\":{\"pod_name\":\"web-1\","
                                + "\"namespace_name\":\"default\",\"container_name\":\"web\",\"docker_id\":\"" + ID
                                + "\"}}");
    }

    @Test
    void aBatchOverlappingLinesAlreadyProcessedYieldsOnlyItsNewLines() throws Exception {
        String path = "/var/log/containers/web-1_default_web-" + ID + ".log";
        // 0.1.0 sent one LINE record per line; its reader failed after the first 4 lines of segment 0
        node.batched = false;
        List<SpoolRecord> singles = node.segment(node.takeSeq(), () -> {
            for (int i = 0; i < 10; i++) {
                node.line(path, SourceKind.CONTAINER, "2024-05-14T09:12:03Z stdout F line " + i);
            }
        });
        node.send(singles.subList(0, 5));
        // the upgraded source reads the whole segment again, as one batch
        List<SpoolRecord> batched = node.batch(singles);
        assertThat(batched)
                .extracting(r -> r.type)
                .containsExactly(SpoolRecord.SEGMENT, SpoolRecord.LINES, SpoolRecord.SEGMENT_END);
        node.send(batched);
        node.send(batched);

        List<String> logs = new java.util.ArrayList<>();
        for (String m : node.messages(Category.APPLICATION)) {
            logs.add(m.replaceAll(".*\"log\":\"([^\"]*)\".*", "$1"));
        }
        assertThat(logs)
                .containsExactly(
                        "line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7", "line 8",
                        "line 9");
    }

    @Test
    void aCorruptSegmentIsDeadLetteredWithItsPathAndTheNextSegmentStillFlows() throws Exception {
        node.send(List.of(SpoolRecord.corrupt(
                "prod", NODE, node.takeSeq(), "/spool/prod/" + NODE + "/00000000000000000000.seg", "bad crc")));
        node.send(() -> node.line("/var/log/dmesg", SourceKind.HOST_FILE, "after"));
        List<CloudWatchEvent> dl = node.out(Category.DEAD_LETTER);
        assertThat(dl).hasSize(1);
        assertThat(dl.get(0).logGroup).isEqualTo("/aws/containerinsights/prod/kubelogs-dead-letter");
        assertThat(dl.get(0).message())
                .contains("corrupt spool segment /spool/prod/" + NODE + "/00000000000000000000.seg: bad crc");
        assertThat(node.out(Category.HOST)).hasSize(1);
    }

    @Test
    void aBrokenJournalRecordIsDeadLettered() throws Exception {
        node.send(() -> node.line("journal", SourceKind.JOURNAL, "not json"));
        assertThat(node.out(Category.DEAD_LETTER))
                .singleElement()
                .satisfies(e -> assertThat(e.message())
                        .contains("journal record is not a JSON object")
                        .contains("\"raw\":\"not json\""));
    }

    @Test
    void aBrokenJournalRecordInTheMiddleOfABatchIsDeadLetteredWithItsOwnBytesAndOffset() throws Exception {
        String good =
                "{\"__REALTIME_TIMESTAMP\":\"1700000000123456\",\"_HOSTNAME\":\"h\",\"_SYSTEMD_UNIT\":\"kubelet.service\","
                        + "\"MESSAGE\":\"m\",\"_TRANSPORT\":\"stdout\"}";
        node.send(() -> {
            node.line("journal", SourceKind.JOURNAL, good);
            node.line("journal", SourceKind.JOURNAL, "not json");
            node.line("journal", SourceKind.JOURNAL, good);
        });
        List<CloudWatchEvent> dp = node.out(Category.DATAPLANE);
        assertThat(dp).hasSize(2);
        assertThat(node.out(Category.DEAD_LETTER)).singleElement().satisfies(e -> {
            assertThat(e.message()).contains("\"raw\":\"not json\"").contains("\"offset\":1");
            assertThat(e.sourceId).isEqualTo(dp.get(0).sourceId);
            assertThat(e.sourceOffset).isEqualTo(1);
        });
        assertThat(dp.get(1).sourceOffset).isEqualTo(2);
    }
}
