package dev.kubelogs.collector.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JournalFilterTest {
    private static JournalFilter.Fields fields(String json, boolean hostFromJournal) throws IOException {
        return JournalFilter.fields(json.getBytes(StandardCharsets.UTF_8), hostFromJournal);
    }

    @Test
    void theDataplaneUnitsAreKeptAlwaysTheHostEntriesOnlyWhenHostLogsComeFromTheJournal() throws IOException {
        String sshd = "{\"__CURSOR\":\"c\",\"SYSLOG_FACILITY\":\"10\",\"PRIORITY\":\"5\"}";
        String kubelet = "{\"__CURSOR\":\"c\",\"_SYSTEMD_UNIT\":\"kubelet.service\",\"PRIORITY\":\"7\"}";
        assertThat(fields(sshd, true).keep).isTrue();
        assertThat(fields(sshd, false).keep).isFalse();
        assertThat(fields(kubelet, false).keep).isTrue();
        assertThat(fields("{\"_SYSTEMD_UNIT\":\"cron.service\",\"PRIORITY\":\"6\"}", false).keep)
                .isFalse();
    }

    @Test
    void theHostInputsAreTheKernelSecureAndMessagesWithoutMailOrNewsOrDebug() throws IOException {
        assertThat(fields("{\"_TRANSPORT\":\"kernel\",\"PRIORITY\":\"7\"}", true).keep)
                .isTrue();
        assertThat(fields("{\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"3\"}", true).keep)
                .isTrue();
        assertThat(fields("{\"PRIORITY\":\"7\",\"SYSLOG_FACILITY\":\"3\"}", true).keep)
                .as("debug")
                .isFalse();
        assertThat(fields("{\"PRIORITY\":\"3\",\"SYSLOG_FACILITY\":\"2\"}", true).keep)
                .as("mail")
                .isFalse();
        assertThat(fields("{\"PRIORITY\":\"3\",\"SYSLOG_FACILITY\":\"9\"}", true).keep)
                .as("cron")
                .isFalse();
        assertThat(fields("{\"PRIORITY\":\"10\"}", true).keep).isFalse();
    }

    /** A repeated field is a member per value (JournalExport): a journal match takes any of them. */
    @Test
    void anyValueOfARepeatedFieldSelectsTheEntry() throws IOException {
        assertThat(fields("{\"_SYSTEMD_UNIT\":\"kubelet.service\",\"_SYSTEMD_UNIT\":\"x.service\"}", false).keep)
                .isTrue();
        assertThat(fields("{\"PRIORITY\":\"3\",\"SYSLOG_FACILITY\":\"2\",\"SYSLOG_FACILITY\":\"3\"}", true).keep)
                .isTrue();
        assertThat(fields("{\"PRIORITY\":\"7\",\"PRIORITY\":\"5\"}", true).keep).isTrue();
        assertThat(fields("{\"SYSLOG_FACILITY\":\"4\",\"SYSLOG_FACILITY\":\"10\"}", true).keep)
                .isTrue();
    }

    @Test
    void theCursorIsReadFromTheTopLevelOnly() throws IOException {
        String nested = "{\"MESSAGE\":{\"__CURSOR\":\"inner\"},\"__CURSOR\":\"s=1;i=2\",\"_SYSTEMD_UNIT\":[\"x\"]}";
        assertThat(fields(nested, false).cursor).isEqualTo("s=1;i=2");
        assertThat(fields("{\"MESSAGE\":\"m\"}", false).cursor).isNull();
    }

    @Test
    void aLineThatIsNotAJsonObjectIsAnError() {
        assertThatThrownBy(() -> fields("[1,2]", false)).isInstanceOf(IOException.class);
    }
}
