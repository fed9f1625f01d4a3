package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyslogParserTest {
    private static final long READ = Instant.parse("2024-05-14T10:00:00Z").toEpochMilli();

    @Test
    void parsesHostIdentPidMessageAndConsumesTime() throws Exception {
        SyslogParser.Parsed p = SyslogParser.parse(
                "May 14 09:12:03 ip-192-168-12-34 kubelet[3366]: I0514 09:12:03.1234 3366 kubelet.go:2457] SyncLoop ADD",
                READ);
        assertThat(Json.MAPPER.writeValueAsString(p.record()))
                .isEqualTo(
                        "{\"host\":\"ip-192-168-12-34\",\"ident\":\"kubelet\",\"pid\":\"3366\",\"message\":\"I0514 09:12:03.1234 3366 kubelet.go:2457] SyncLoop ADD\"}");
        assertThat(p.timeMillis())
                .isEqualTo(Instant.parse("2024-05-14T09:12:03Z").toEpochMilli());
    }

    @Test
    void aCarriageReturnInsideTheMessageIsPartOfItAsInFluentBit() throws Exception {
        SyslogParser.Parsed p = SyslogParser.parse("May  4 01:02:03 host1 app: one\rtwo", READ);
        assertThat(p).isNotNull();
        assertThat(p.record().get("message").asText()).isEqualTo("one\rtwo");
    }

    @Test
    void pidIsOptionalAndSingleDigitDaysHaveTwoSpaces() throws Exception {
        SyslogParser.Parsed p = SyslogParser.parse("May  4 01:02:03 host1 systemd: Started Session 7.", READ);
        assertThat(Json.MAPPER.writeValueAsString(p.record()))
                .isEqualTo("{\"host\":\"host1\",\"ident\":\"systemd\",\"message\":\"Started Session 7.\"}");
        assertThat(p.timeMillis())
                .isEqualTo(Instant.parse("2024-05-04T01:02:03Z").toEpochMilli());
    }

    @Test
    void decemberLinesReadInJanuaryBelongToLastYear() {
        long january = Instant.parse("2025-01-01T00:10:00Z").toEpochMilli();
        SyslogParser.Parsed p = SyslogParser.parse("Dec 31 23:59:59 h sshd[1]: bye", january);
        assertThat(p.timeMillis())
                .isEqualTo(Instant.parse("2024-12-31T23:59:59Z").toEpochMilli());
    }

    @Test
    void theSameTimeReadInAnotherYearIsReadInThatYear() {
        long lateDecember = Instant.parse("2024-12-31T23:59:00Z").toEpochMilli();
        long january = Instant.parse("2025-01-01T00:00:30Z").toEpochMilli();
        long nextDecember = Instant.parse("2025-12-31T10:00:00Z").toEpochMilli();
        assertThat(SyslogParser.syslogTimeMillis("Dec 31 23:59:59", lateDecember))
                .isEqualTo(Instant.parse("2024-12-31T23:59:59Z").toEpochMilli());
        assertThat(SyslogParser.syslogTimeMillis("Dec 31 23:59:59", january))
                .isEqualTo(Instant.parse("2024-12-31T23:59:59Z").toEpochMilli());
        assertThat(SyslogParser.syslogTimeMillis("Dec 31 23:59:59", nextDecember))
                .isEqualTo(Instant.parse("2025-12-31T23:59:59Z").toEpochMilli());
        assertThat(SyslogParser.syslogTimeMillis("Jan  1 00:00:10", january))
                .isEqualTo(Instant.parse("2025-01-01T00:00:10Z").toEpochMilli());
        assertThat(SyslogParser.syslogTimeMillis("Jan  1 00:00:10", lateDecember))
                .isEqualTo(Instant.parse("2024-01-01T00:00:10Z").toEpochMilli());
    }

    @Test
    void aTimeThatIsNoDateIsTheReadTimeAgainAndAgain() {
        assertThat(SyslogParser.syslogTimeMillis("Foo 99 99:99:99", READ)).isEqualTo(READ);
        assertThat(SyslogParser.syslogTimeMillis("Foo 99 99:99:99", READ + 1)).isEqualTo(READ + 1);
    }

    @Test
    void aFebruary29thLineReadInTheNextMarchIsReadInTheLeapYearUnlessItIsAhead() {
        long march2024 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
        assertThat(SyslogParser.syslogTimeMillis("Feb 29 12:00:00", march2024))
                .isEqualTo(Instant.parse("2024-02-29T12:00:00Z").toEpochMilli());
        // 2025 has no February 29th: java.time's smart resolution reads it as the 28th, as before
        long march2025 = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();
        assertThat(SyslogParser.syslogTimeMillis("Feb 29 12:00:00", march2025))
                .isEqualTo(Instant.parse("2025-02-28T12:00:00Z").toEpochMilli());
    }

    @Test
    void nonSyslogTextDoesNotMatch() {
        assertThat(SyslogParser.parse("just words", READ)).isNull();
    }
}
