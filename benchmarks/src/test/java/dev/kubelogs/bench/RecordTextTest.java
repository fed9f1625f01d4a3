package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The text of each record format at a fixed tick: exact where it is fixed, sized to the drawn target, valid JSON. */
class RecordTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TICK = Instant.parse("2026-03-10T12:00:00.123Z").toEpochMilli();

    private final RecordText text = new RecordText();
    private final StringBuilder b = new StringBuilder();

    @BeforeEach
    void tick() {
        text.tick(TICK);
    }

    /** A container or host-file source by name. */
    private static LoadGenerator.SourceSpec spec(String name) {
        return Stream.concat(LoadGenerator.CONTAINERS.stream(), LoadGenerator.HOST_FILES.stream())
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aCriLineIsTheAppsTextWithTheTokenOfNodeSourceSequenceAndTick() {
        text.line(b, spec("frontend"), 1, 2, "ip-10-0-1-11", 7, 0, 0);
        assertThat(b.toString())
                .isEqualTo("2026-03-10T12:00:00.123Z stdout F 10.0.1.7 - - [10/Mar/2026:12:00:00 +0000] "
                        + "\"GET /api/orders/7 HTTP/1.1\" 200 7 \"-\" \"Mozilla/5.0\" kl=1.2.7.1773144000123 \n");
    }

    @Test
    void fillerBringsEachFormatToItsTargetSize() throws Exception {
        for (LoadGenerator.SourceSpec spec : new LoadGenerator.SourceSpec[] {
            spec("orders"), spec("coredns"), spec("messages"), spec("dmesg"), LoadGenerator.JOURNAL
        }) {
            b.setLength(0);
            text.line(b, spec, 0, 0, "ip-10-0-1-10", 42, 400, 1);
            assertThat(b.length()).as(spec.name()).isEqualTo(401);
            assertThat(b.charAt(400)).isEqualTo('\n');
        }
    }

    @Test
    void aDockerLineIsJsonFileWrappingTheAppsJson() throws Exception {
        text.line(b, spec("orders"), 0, 0, "ip-10-0-1-10", 5, 300, 0);
        JsonNode entry = JSON.readTree(b.toString());
        assertThat(entry.get("stream").asText()).isEqualTo("stdout");
        assertThat(entry.get("time").asText()).isEqualTo("2026-03-10T12:00:00.123Z");
        JsonNode app = JSON.readTree(entry.get("log").asText());
        assertThat(app.get("msg").asText()).isEqualTo("order created kl=0.0.5.1773144000123");
        assertThat(app.get("orderId").asLong()).isEqualTo(5);
    }

    @Test
    void hostLinesCarryTheSyslogTimeAndShortHost() {
        text.line(b, spec("secure"), 0, 6, "ip-10-0-1-10", 3, 0, 0);
        assertThat(b.toString())
                .isEqualTo("Mar 10 12:00:00 ip-10-0-1-10 sshd[4242]: Accepted publickey for ec2-user from 10.0.0.7 "
                        + "port 40022 ssh2 kl=0.6.3.1773144000123 \n");
        b.setLength(0);
        text.line(b, spec("dmesg"), 0, 7, "ip-10-0-1-10", 1234, 0, 0);
        assertThat(b.toString()).startsWith("[     1.234000] ena 0000:00:05.0 eth0: Link is up kl=0.7.1234.");
    }

    @Test
    void aJournalEntryIsJsonWithTheCursorItIsGivenAndTheTickInMicroseconds() throws Exception {
        text.line(b, LoadGenerator.JOURNAL, 2, 5, "ip-10-0-1-12", 4, 0, 255);
        JsonNode entry = JSON.readTree(b.toString());
        assertThat(entry.get("__CURSOR").asText()).isEqualTo("s=bench;i=ff");
        assertThat(entry.get("__REALTIME_TIMESTAMP").asText()).isEqualTo(TICK * 1000 + "");
        assertThat(entry.get("_HOSTNAME").asText()).isEqualTo("ip-10-0-1-12");
        assertThat(entry.get("SYSLOG_IDENTIFIER").asText()).isEqualTo("systemd-logind"); // seq 4: type 1
        assertThat(entry.get("MESSAGE").asText()).endsWith("kl=2.5.4.1773144000123 ");
    }

    @Test
    void stackTracePiecesCarryTheTokenAndFrameCountOnTheFirstLineOnly() throws Exception {
        text.tracePiece(b, LoadGenerator.Format.DOCKER, 0, 0, "java.lang.IllegalStateException: x ", 9, 2);
        text.tracePiece(b, LoadGenerator.Format.DOCKER, 0, 0, "\tat F0.call(F.java:10)", -1, 0);
        String[] lines = b.toString().split("\n");
        assertThat(JSON.readTree(lines[0]).get("log").asText())
                .isEqualTo("java.lang.IllegalStateException: x kl=0.0.9.1773144000123 frames=2\n");
        assertThat(JSON.readTree(lines[1]).get("log").asText()).isEqualTo("\tat F0.call(F.java:10)\n");
        b.setLength(0);
        text.tracePiece(b, LoadGenerator.Format.CRI, 0, 1, "\tat F0.call(F.java:10)", -1, 0);
        assertThat(b.toString()).isEqualTo("2026-03-10T12:00:00.123Z stdout F \tat F0.call(F.java:10)\n");
    }

    @Test
    void aLaterTickInTheSameSecondChangesOnlyTheMillisecondTimes() {
        text.tick(TICK + 500);
        text.line(b, spec("secure"), 0, 6, "h", 1, 0, 0);
        assertThat(b.toString()).startsWith("Mar 10 12:00:00 h ").contains("kl=0.6.1." + (TICK + 500));
        b.setLength(0);
        text.line(b, spec("kube-proxy"), 0, 4, "h", 1, 0, 0);
        assertThat(b.toString()).startsWith("2026-03-10T12:00:00.623Z stdout F I0310 12:00:00.623000 ");
        assertThat(text.tickMillis()).isEqualTo(TICK + 500);
    }
}
