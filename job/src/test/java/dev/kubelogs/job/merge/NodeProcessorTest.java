package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeProcessorTest {
    private static final String NODE = "ip-10-0-1-5.us-west-2.compute.internal";
    private static final String ID = "3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b";
    private static final SegmentHeader HEADER =
            new SegmentHeader("prod", NODE, 7, 1_700_000_000_000L, Map.of("az", "us-west-2a", "ec2_instance_id", "i-0abc"));
    private static final long READ = 1_700_000_000_500L;

    private KeyedOneInputStreamOperatorTestHarness<String, SpoolRecord, CloudWatchEvent> harness;
    private final AtomicInteger index = new AtomicInteger(1);

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new NodeProcessor(JobOptions.defaults()), SpoolRecord::nodeKey, Types.STRING);
        harness.processElement(SpoolRecord.segmentStart(HEADER), 0L);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private SpoolRecord line(String path, SourceKind kind, long inode, long offset, String text) {
        FileRef file = new FileRef(path, 2049, inode, 0, kind);
        return SpoolRecord.line(HEADER, index.getAndIncrement(),
                new LineEntry(file, offset, text.getBytes(StandardCharsets.UTF_8), 0, READ));
    }

    private List<CloudWatchEvent> out(OutputTag<CloudWatchEvent> tag) {
        List<CloudWatchEvent> events = new ArrayList<>();
        if (harness.getSideOutput(tag) != null) {
            for (StreamRecord<CloudWatchEvent> r : harness.getSideOutput(tag)) {
                events.add(r.getValue());
            }
        }
        return events;
    }

    @Test
    void dockerApplicationLineGetsKubernetesBlockFromTheFileName() throws Exception {
        String path = "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + ID + ".log";
        harness.processElement(line(path, SourceKind.CONTAINER, 11, 0,
                "{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"orderId\\\":42}\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03.123456789Z\"}"), 1L);

        List<CloudWatchEvent> app = out(OutputTags.APPLICATION);
        assertThat(app).hasSize(1);
        CloudWatchEvent e = app.get(0);
        assertThat(e.logGroup).isEqualTo("/aws/containerinsights/prod/application");
        assertThat(e.logStream).isEqualTo(NODE + "-application.var.log.containers.orders-7d9c6b7f9d-x2m4q_shop_orders-" + ID + ".log");
        assertThat(e.timestamp).isEqualTo(1715677923123L);
        assertThat(e.message).isEqualTo("{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"orderId\\\":42}\\n\",\"stream\":\"stdout\","
                + "\"time\":\"2024-05-14T09:12:03.123456789Z\",\"log_processed\":{\"level\":\"info\",\"orderId\":42},"
                + "\"kubernetes\":{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\":\"shop\",\"container_name\":\"orders\",\"docker_id\":\"" + ID + "\"}}");
        assertThat(out(OutputTags.HOST)).isEmpty();
    }

    @Test
    void awsNodeGoesToDataplaneWithAwsFieldsAndNoKubernetes() throws Exception {
        String path = "/var/log/containers/aws-node-7xk2p_kube-system_aws-node-" + ID + ".log";
        harness.processElement(line(path, SourceKind.CONTAINER, 12, 0,
                "2024-05-14T09:12:03.1Z stderr F {\"level\":\"info\",\"msg\":\"Received ADD\"}"), 1L);
        List<CloudWatchEvent> dp = out(OutputTags.DATAPLANE);
        assertThat(dp).hasSize(1);
        assertThat(dp.get(0).logGroup).isEqualTo("/aws/containerinsights/prod/dataplane");
        assertThat(dp.get(0).logStream).isEqualTo(NODE + "-dataplane.tail.var.log.containers.aws-node-7xk2p_kube-system_aws-node-" + ID + ".log");
        assertThat(dp.get(0).message).isEqualTo("{\"time\":\"2024-05-14T09:12:03.1Z\",\"stream\":\"stderr\",\"_p\":\"F\","
                + "\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"msg\\\":\\\"Received ADD\\\"}\",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}");
        assertThat(out(OutputTags.APPLICATION)).isEmpty();
    }

    @Test
    void fluentdIsDroppedAndCounted() throws Exception {
        harness.processElement(line("/var/log/containers/fluentd-x_logging_fluentd-" + ID + ".log", SourceKind.CONTAINER, 13, 0,
                "2024-05-14T09:12:03.1Z stdout F hello"), 1L);
        assertThat(out(OutputTags.APPLICATION)).isEmpty();
        assertThat(out(OutputTags.DATAPLANE)).isEmpty();
        assertThat(out(OutputTags.DEAD_LETTER)).isEmpty();
    }

    @Test
    void hostFilesUseTheLegacyTailShapes() throws Exception {
        harness.processElement(line("/var/log/messages", SourceKind.HOST_FILE, 20, 0,
                "Nov 14 22:13:20 ip-10-0-1-5 systemd[1]: Started kubelet."), 1L);
        harness.processElement(line("/var/log/dmesg", SourceKind.HOST_FILE, 21, 0, "[    5.123456] ena 0000:00:05.0: up"), 1L);
        harness.processElement(line("/var/log/secure", SourceKind.HOST_FILE, 22, 0, "garbage-without-any-syslog-shape"), 1L);
        List<CloudWatchEvent> host = out(OutputTags.HOST);
        assertThat(host).extracting(e -> e.logStream)
                .containsExactly(NODE + ".host.messages", NODE + ".host.dmesg", NODE + ".host.secure");
        assertThat(host.get(0).message).isEqualTo("{\"host\":\"ip-10-0-1-5\",\"ident\":\"systemd\",\"pid\":\"1\","
                + "\"message\":\"Started kubelet.\",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}");
        assertThat(host.get(0).timestamp).isEqualTo(java.time.Instant.parse("2023-11-14T22:13:20Z").toEpochMilli());
        assertThat(host.get(1).message).isEqualTo("{\"message\":\"[    5.123456] ena 0000:00:05.0: up\",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}");
        assertThat(host.get(1).timestamp).isEqualTo(READ);
        assertThat(host.get(2).message).isEqualTo("{\"log\":\"garbage-without-any-syslog-shape\",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}");
    }

    @Test
    void journalEntriesGoToEveryMatchingStream() throws Exception {
        harness.processElement(line("journal", SourceKind.JOURNAL, 1, 0,
                "{\"__REALTIME_TIMESTAMP\":\"1700000000123456\",\"_HOSTNAME\":\"ip-10-0-1-5\",\"_SYSTEMD_UNIT\":\"kubelet.service\","
                        + "\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"3\",\"SYSLOG_IDENTIFIER\":\"kubelet\",\"_PID\":\"3366\",\"SYSLOG_PID\":\"3366\","
                        + "\"MESSAGE\":\"I1114 SyncLoop ADD\",\"_TRANSPORT\":\"stdout\"}"), 1L);
        harness.processElement(line("journal", SourceKind.JOURNAL, 1, 1,
                "{\"__REALTIME_TIMESTAMP\":\"1700000000200000\",\"_HOSTNAME\":\"ip-10-0-1-5\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"10\","
                        + "\"SYSLOG_IDENTIFIER\":\"sshd\",\"SYSLOG_PID\":\"4121\",\"MESSAGE\":\"Accepted publickey\",\"_TRANSPORT\":\"syslog\"}"), 1L);
        harness.processElement(line("journal", SourceKind.JOURNAL, 1, 2,
                "{\"__REALTIME_TIMESTAMP\":\"1700000000300000\",\"_HOSTNAME\":\"ip-10-0-1-5\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"0\","
                        + "\"SYSLOG_IDENTIFIER\":\"kernel\",\"MESSAGE\":\"eth0: link up\",\"_TRANSPORT\":\"kernel\"}"), 1L);

        List<CloudWatchEvent> dp = out(OutputTags.DATAPLANE);
        assertThat(dp).hasSize(1);
        assertThat(dp.get(0).logStream).isEqualTo(NODE + "-dataplane.systemd.kubelet.service");
        assertThat(dp.get(0).message).isEqualTo("{\"hostname\":\"ip-10-0-1-5\",\"systemd_unit\":\"kubelet.service\","
                + "\"message\":\"I1114 SyncLoop ADD\",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}");
        assertThat(dp.get(0).timestamp).isEqualTo(1700000000123L);
        // kubelet (priority 6, facility 3) → messages; sshd facility 10 → secure only; kernel → dmesg and messages
        assertThat(out(OutputTags.HOST)).extracting(e -> e.logStream).containsExactly(
                NODE + ".host.messages", NODE + ".host.secure", NODE + ".host.dmesg", NODE + ".host.messages");
        assertThat(out(OutputTags.HOST).get(1).message).isEqualTo("{\"host\":\"ip-10-0-1-5\",\"ident\":\"sshd\",\"pid\":\"4121\","
                + "\"message\":\"Accepted publickey\",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}");
    }

    @Test
    void aReplayedSegmentProducesNothingNewEvenAfterRestore() throws Exception {
        String path = "/var/log/containers/web-1_default_web-" + ID + ".log";
        SpoolRecord first = line(path, SourceKind.CONTAINER, 30, 0, "2024-05-14T09:12:03Z stdout F one");
        SpoolRecord second = line(path, SourceKind.CONTAINER, 30, first.data.length + 1, "2024-05-14T09:12:04Z stdout F two");
        harness.processElement(first, 1L);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.processElement(second, 1L);
        harness.close();

        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new NodeProcessor(JobOptions.defaults())), SpoolRecord::nodeKey, Types.STRING);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        // the source replays the segment from its start after the failure
        harness.processElement(first, 1L);
        harness.processElement(second, 1L);
        harness.processElement(second, 1L);
        assertThat(out(OutputTags.APPLICATION)).extracting(e -> e.message)
                .containsExactly("{\"time\":\"2024-05-14T09:12:04Z\",\"stream\":\"stdout\",\"_p\":\"F\",\"log\":\"two\","
                        + "\"kubernetes\":{\"pod_name\":\"web-1\",\"namespace_name\":\"default\",\"container_name\":\"web\",\"docker_id\":\"" + ID + "\"}}");
    }

    @Test
    void aCorruptSegmentIsDeadLetteredWithItsPath() throws Exception {
        harness.processElement(SpoolRecord.corrupt("prod", NODE, 9, "/spool/prod/" + NODE + "/00000000000000000009.seg", "bad crc"), 1L);
        List<CloudWatchEvent> dl = out(OutputTags.DEAD_LETTER);
        assertThat(dl).hasSize(1);
        assertThat(dl.get(0).logGroup).isEqualTo("/aws/containerinsights/prod/dead-letter");
        assertThat(dl.get(0).message).contains("corrupt spool segment /spool/prod/" + NODE + "/00000000000000000009.seg: bad crc");
    }

    @Test
    void aBrokenJournalRecordIsDeadLettered() throws Exception {
        harness.processElement(line("journal", SourceKind.JOURNAL, 1, 0, "not json"), 1L);
        assertThat(out(OutputTags.DEAD_LETTER)).singleElement()
                .satisfies(e -> assertThat(e.message).contains("journal record is not a JSON object").contains("\"raw\":\"not json\""));
    }
}
