package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoReportTest {

    @Test
    void theSinksReasonCodeIsTheReason() {
        assertThat(DemoReport.reasonOf(
                        "{\"reason\":\"TOO_OLD\",\"detail\":\"rejectedLogEventsInfo.tooOldLogEventEndIndex=10\"}"))
                .isEqualTo("TOO_OLD");
    }

    @Test
    void theJobsReasonIsItsTextWithoutPathsOrDetails() {
        assertThat(DemoReport.reasonOf(
                        "{\"reason\":\"corrupt spool segment /spool/c/n/00000000000000000001.seg: bad CRC\"}"))
                .isEqualTo("corrupt spool segment");
        assertThat(DemoReport.reasonOf("{\"reason\":\"unreadable pod metadata record: Unexpected character\"}"))
                .isEqualTo("unreadable pod metadata record");
        assertThat(DemoReport.reasonOf("{\"reason\":\"journal record is not a JSON object\"}"))
                .isEqualTo("journal record is not a JSON object");
    }

    @Test
    void aRecordWithoutAReasonIsStillCounted() {
        assertThat(DemoReport.reasonOf("{\"detail\":\"x\"}")).isEqualTo("(no reason)");
        assertThat(DemoReport.reasonOf("not json")).isEqualTo("(not JSON)");
    }
}
