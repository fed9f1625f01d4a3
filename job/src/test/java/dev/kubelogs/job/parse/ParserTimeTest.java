package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParserTimeTest {
    private static final long NOW = Instant.parse("2024-06-01T12:00:00Z").toEpochMilli();

    private static long nanos(String instant) {
        Instant t = Instant.parse(instant);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void theFirstlineFormatReadsNineFractionDigitsAndTheLiteralZ() {
        ParserTime t = new ParserTime("%Y-%m-%dT%H:%M:%S.%LZ", null);
        assertThat(t.nanos("2024-05-14T09:12:03.123456789Z", NOW)).isEqualTo(nanos("2024-05-14T09:12:03.123456789Z"));
        assertThat(t.nanos("2024-05-14T09:12:03.5Z", NOW)).isEqualTo(nanos("2024-05-14T09:12:03.5Z"));
        // parse_subseconds reads at most 9 digits; the tenth is then not the Z the format wants
        assertThat(t.nanos("2024-05-14T09:12:03.1234567891Z", NOW)).isNull();
        // no digit where %L is
        assertThat(t.nanos("2024-05-14T09:12:03.Z", NOW)).isNull();
    }

    @Test
    void aFormatWithoutAYearTakesTheCurrentUtcYearWithoutLookingBack() {
        ParserTime syslog = new ParserTime("%b %d %H:%M:%S", null);
        assertThat(syslog.nanos("May 14 09:12:03", NOW)).isEqualTo(nanos("2024-05-14T09:12:03Z"));
        assertThat(syslog.nanos("Dec  4 07:01:02", NOW)).isEqualTo(nanos("2024-12-04T07:01:02Z"));
        // a December line read on New Year's day lands in the new year, eleven months ahead (flb_parser_time_lookup)
        long newYear = Instant.parse("2025-01-01T00:00:05Z").toEpochMilli();
        assertThat(syslog.nanos("Dec 31 23:59:59", newYear)).isEqualTo(nanos("2025-12-31T23:59:59Z"));
        assertThat(syslog.nanos("december 31 23:59:59", newYear)).isEqualTo(nanos("2025-12-31T23:59:59Z"));
    }

    @Test
    void aFormatWithoutADateTakesTodays() {
        assertThat(new ParserTime("%H:%M:%S", null).nanos("09:12:03", NOW)).isEqualTo(nanos("2024-06-01T09:12:03Z"));
    }

    @Test
    void zonesComeFromTheValueOrFromTimeOffset() {
        ParserTime zoned = new ParserTime("%Y-%m-%dT%H:%M:%S%z", null);
        assertThat(zoned.nanos("2024-05-14T11:12:03+02:00", NOW)).isEqualTo(nanos("2024-05-14T09:12:03Z"));
        assertThat(zoned.nanos("2024-05-14T11:12:03+0200", NOW)).isEqualTo(nanos("2024-05-14T09:12:03Z"));
        assertThat(zoned.nanos("2024-05-14T04:12:03-05", NOW)).isEqualTo(nanos("2024-05-14T09:12:03Z"));
        assertThat(zoned.nanos("2024-05-14T09:12:03Z", NOW)).isEqualTo(nanos("2024-05-14T09:12:03Z"));
        // a format with a zone ignores Time_Offset; one without takes it
        assertThat(new ParserTime("%Y-%m-%dT%H:%M:%S%z", "+0900").nanos("2024-05-14T09:12:03Z", NOW))
                .isEqualTo(nanos("2024-05-14T09:12:03Z"));
        assertThat(new ParserTime("%Y-%m-%d %H:%M:%S", "+09:00").nanos("2024-05-14 18:12:03", NOW))
                .isEqualTo(nanos("2024-05-14T09:12:03Z"));
        assertThat(new ParserTime("%Y-%m-%d %H:%M:%S", "-0130").nanos("2024-05-14 07:42:03", NOW))
                .isEqualTo(nanos("2024-05-14T09:12:03Z"));
    }

    @Test
    void inputAfterTheFormatIsIgnoredAndBlanksMatchAnyRunOfBlanks() {
        ParserTime t = new ParserTime("%Y-%m-%d %H:%M:%S", null);
        assertThat(t.nanos("2024-05-14   09:12:03 and more", NOW)).isEqualTo(nanos("2024-05-14T09:12:03Z"));
        // a blank matches none too, but the T is then no hour
        assertThat(t.nanos("2024-05-1409:12:03", NOW)).isEqualTo(nanos("2024-05-14T09:12:03Z"));
        assertThat(t.nanos("2024-05-14T09:12:03", NOW)).isNull();
        assertThat(t.nanos("2024-13-14 09:12:03", NOW)).isNull();
    }

    @Test
    void epochSecondsTwelveHourClocksAndDayNames() {
        assertThat(new ParserTime("%s", null).nanos("1715677923", NOW)).isEqualTo(nanos("2024-05-14T09:12:03Z"));
        assertThat(new ParserTime("%a, %d %b %Y %I:%M:%S %p", null).nanos("Tue, 14 May 2024 09:12:03 PM", NOW))
                .isEqualTo(nanos("2024-05-14T21:12:03Z"));
        assertThat(new ParserTime("%d/%b/%Y:%H:%M:%S %z", null).nanos("14/May/2024:11:12:03 +0200", NOW))
                .isEqualTo(nanos("2024-05-14T09:12:03Z"));
    }

    @Test
    void aValueOfSixtyFourCharactersOrMoreIsNotRead() {
        ParserTime t = new ParserTime("%Y-%m-%d", null);
        assertThat(t.nanos("2024-05-14" + " ".repeat(53), NOW)).isEqualTo(nanos("2024-05-14T00:00:00Z"));
        assertThat(t.nanos("2024-05-14" + " ".repeat(54), NOW)).isNull();
    }

    @Test
    void directivesThisReaderLacksAreRefusedWhenTheParserIsMade() {
        assertThatThrownBy(() -> new ParserTime("%c", null)).hasMessageContaining("%c");
        assertThatThrownBy(() -> new ParserTime("%Y %U", null)).hasMessageContaining("%U");
        assertThatThrownBy(() -> new ParserTime("%Y", "9am")).hasMessageContaining("Time_Offset");
    }
}
