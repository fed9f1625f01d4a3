package dev.kubelogs.job.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.parse.JournalEntry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Container Insights' journald inputs (reference §1.3, §1.4), with and without the host ones. */
class JournalRoutingTest {
    private final JournalRouting routing = JournalRouting.containerInsightsDefaults();

    private static JournalEntry entry(String json) {
        return JournalEntry.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final JournalEntry KUBELET = entry("{\"_SYSTEMD_UNIT\":\"kubelet.service\",\"PRIORITY\":\"6\","
            + "\"SYSLOG_FACILITY\":\"3\",\"MESSAGE\":\"SyncLoop ADD\"}");
    private static final JournalEntry SSHD = entry("{\"_SYSTEMD_UNIT\":\"sshd.service\",\"PRIORITY\":\"6\","
            + "\"SYSLOG_FACILITY\":\"10\",\"MESSAGE\":\"Accepted publickey\"}");

    @Test
    void aDataplaneUnitAlsoFeedsHostMessagesWhenHostLogsComeFromTheJournal() {
        assertThat(routing.route(KUBELET))
                .containsExactly(
                        new JournalRouting.Target(Category.DATAPLANE, "kubelet.service"),
                        new JournalRouting.Target(Category.HOST, "messages"));
        assertThat(routing.route(SSHD)).containsExactly(new JournalRouting.Target(Category.HOST, "secure"));
    }

    @Test
    void aJournalReadForTheDataplaneOnlyFeedsNoHostStream() {
        assertThat(routing.route(KUBELET, true))
                .containsExactly(new JournalRouting.Target(Category.DATAPLANE, "kubelet.service"));
        assertThat(routing.route(SSHD, true)).isEmpty();
    }

    /** Systemd_Filter is a journal match (any value, byte for byte); the grep filter sees the record's value. */
    @Test
    void journalMatchesSeeEveryValueOfARepeatedFieldAndCompareTheirBytes() {
        assertThat(routing.route(entry("{\"_SYSTEMD_UNIT\":\"x.service\",\"_SYSTEMD_UNIT\":\"kubelet.service\"}")))
                .as("the tag takes the first value")
                .containsExactly(new JournalRouting.Target(Category.DATAPLANE, "x.service"));
        assertThat(routing.route(entry("{\"PRIORITY\":\"06\",\"SYSLOG_FACILITY\":\"3\"}")))
                .as("PRIORITY=06 is not PRIORITY=6")
                .isEmpty();
        assertThat(routing.route(entry("{\"PRIORITY\":\"7\",\"PRIORITY\":\"3\",\"SYSLOG_FACILITY\":\"3\"}")))
                .containsExactly(new JournalRouting.Target(Category.HOST, "messages"));
        assertThat(routing.route(entry("{\"PRIORITY\":\"3\",\"SYSLOG_FACILITY\":\"2\",\"SYSLOG_FACILITY\":\"3\"}")))
                .as("grep's regex does not match an array, so a repeated facility is not excluded")
                .containsExactly(new JournalRouting.Target(Category.HOST, "messages"));
        assertThat(routing.route(entry("{\"PRIORITY\":\"3\",\"SYSLOG_FACILITY\":\"x\\n9\"}")))
                .as("Onigmo's ^ and $ are line anchors")
                .isEmpty();
    }
}
