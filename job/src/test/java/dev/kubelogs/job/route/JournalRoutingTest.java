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
}
