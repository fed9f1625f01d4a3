package dev.kubelogs.job.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.merge.BatchLine;
import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.merge.StageHarness;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.JournalSources;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Host file and journal lines alone: parsed, routed to their streams, the unparsed and unrouted counted. */
class HostLinesTest {
    private static final SegmentHeader HEADER = new SegmentHeader("prod", "node-1", 0, 1L, Map.of());
    private static final Map<String, String> ATTRS = Map.of("az", "us-west-2a");

    /** Each line of a LINES batch goes to the host file or the journal path by its source kind. */
    static final class HostOnly extends KeyedProcessFunction<String, SpoolRecord, Void> {
        private transient StageContext stage;
        private transient HostLines hostLines;

        @Override
        public void open(OpenContext openContext) {
            stage = new StageContext();
            EventOutput events = new EventOutput("/aws/containerinsights", true, 262_144);
            events.open(getRuntimeContext().getMetricGroup().addGroup("kubelogs"));
            hostLines = new HostLines(JournalRouting.containerInsightsDefaults());
            hostLines.open(getRuntimeContext().getMetricGroup().addGroup("kubelogs"), events);
        }

        @Override
        public void processElement(SpoolRecord batch, Context ctx, Collector<Void> out) {
            stage.bind(ctx);
            for (int i = 0; i < batch.lineCount(); i++) {
                BatchLine line = new BatchLine(batch, i, batch.fileIdentity());
                if (batch.kind() == SourceKind.JOURNAL) {
                    hostLines.journalLine(stage, line, ATTRS);
                } else {
                    hostLines.hostFileLine(stage, line, ATTRS);
                }
            }
        }
    }

    private StageHarness<SpoolRecord, Void> stage;

    @BeforeEach
    void setUp() throws Exception {
        stage = new StageHarness<>(HostOnly::new, SpoolRecord::nodeKey);
    }

    @AfterEach
    void tearDown() throws Exception {
        stage.close();
    }

    private void send(String path, SourceKind kind, String... lines) throws Exception {
        FileRef file = new FileRef(path, 2049, 7, 0, kind);
        stage.send(StageHarness.lines(HEADER, file, 0, 1_700_000_000_000L, lines));
    }

    private static String field(CloudWatchEvent e, String name) throws Exception {
        return Json.MAPPER.readTree(e.message()).get(name).textValue();
    }

    @Test
    void hostFileLinesAreParsedAsSyslogExceptDmesgAndTheUnparsedAreCounted() throws Exception {
        send(
                "/var/log/messages",
                SourceKind.HOST_FILE,
                "May  1 10:00:00 ip-10-0-1-10 kubelet[3366]: started",
                "not syslog at all");
        send("/var/log/dmesg", SourceKind.HOST_FILE, "[    0.000000] Linux version 5.10");
        List<CloudWatchEvent> host = stage.events(Category.HOST);
        assertThat(host)
                .extracting(e -> e.logStream)
                .containsExactly("node-1.host.messages", "node-1.host.messages", "node-1.host.dmesg");
        assertThat(field(host.get(0), "message")).isEqualTo("started");
        assertThat(field(host.get(1), "log")).isEqualTo("not syslog at all");
        assertThat(field(host.get(2), "message")).isEqualTo("[    0.000000] Linux version 5.10");
        assertThat(stage.counter("unparsedHostLines")).isEqualTo(1);
    }

    /** in_tail drops the CR of a CR LF ending before the syslog parser sees the line. */
    @Test
    void hostFileLinesLoseTheCrOfACrLfEnding() throws Exception {
        send(
                "/var/log/messages",
                SourceKind.HOST_FILE,
                "May  1 10:00:00 ip-10-0-1-10 kubelet[3366]: started\r",
                "not syslog\r");
        send("/var/log/dmesg", SourceKind.HOST_FILE, "[    0.000000] Linux version 5.10\r");
        List<CloudWatchEvent> host = stage.events(Category.HOST);
        assertThat(field(host.get(0), "message")).isEqualTo("started");
        assertThat(field(host.get(1), "log")).isEqualTo("not syslog");
        assertThat(field(host.get(2), "message")).isEqualTo("[    0.000000] Linux version 5.10");
    }

    @Test
    void journalEntriesGoToEachInputThatSelectsThemAndTheRestIsCountedOrDeadLettered() throws Exception {
        send(
                JournalSources.HOST_AND_DATAPLANE,
                SourceKind.JOURNAL,
                "{\"_SYSTEMD_UNIT\":\"kubelet.service\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"3\","
                        + "\"MESSAGE\":\"up\"}",
                "{\"_SYSTEMD_UNIT\":\"foo.service\",\"PRIORITY\":\"7\",\"MESSAGE\":\"debug\"}",
                "not json");
        assertThat(stage.events(Category.DATAPLANE))
                .extracting(e -> e.logStream)
                .containsExactly("node-1-dataplane.systemd.kubelet.service");
        assertThat(stage.events(Category.HOST)).extracting(e -> e.logStream).containsExactly("node-1.host.messages");
        assertThat(stage.counter("unroutedJournalEntries")).isEqualTo(1);
        assertThat(stage.events(Category.DEAD_LETTER))
                .singleElement()
                .satisfies(e -> assertThat(field(e, "reason")).isEqualTo("journal record is not a JSON object"));
    }
}
