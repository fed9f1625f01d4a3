package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void readsWhatContainerRuntimesWrite() {
        assertThat(Timestamps.rfc3339ToMillis("2024-05-01T10:00:00.123456789Z")).isEqualTo(1714557600123L);
        assertThat(Timestamps.rfc3339ToMillis("2024-05-01T10:00:00Z")).isEqualTo(1714557600000L);
        assertThat(Timestamps.rfc3339ToMillis("2024-05-01T12:00:00.5+02:00")).isEqualTo(1714557600500L);
        assertThat(Timestamps.rfc3339ToMillis("not a time")).isEqualTo(-1L);
        assertThat(Timestamps.rfc3339ToMillis("")).isEqualTo(-1L);
        assertThat(Timestamps.rfc3339ToMillis(null)).isEqualTo(-1L);
    }

    /**
     * The docker parser's time format has no zone (src/multiline/flb_ml_parser_docker.c "%Y-%m-%dT%H:%M:%S.%L"): what
     * follows the fraction, up to 9 digits of it (src/flb_parser.c parse_subseconds), is not read, and the time is UTC.
     */
    @Test
    void aDockerTimeIsReadAsUtcWhateverZoneFollowsIt() {
        assertThat(Timestamps.zoneIgnoredToMillis("2024-05-01T10:00:00.123456789Z"))
                .isEqualTo(1714557600123L);
        assertThat(Timestamps.zoneIgnoredToMillis("2024-05-01T10:00:00.5+02:00"))
                .isEqualTo(1714557600500L);
        assertThat(Timestamps.zoneIgnoredToMillis("2024-05-01T10:00:00.1234567891-07:00"))
                .isEqualTo(1714557600123L);
        assertThat(Timestamps.zoneIgnoredToMillis("2024-05-01T10:00:00+02:00")).isEqualTo(1714557600000L);
        assertThat(Timestamps.zoneIgnoredToMillis("2024-05-01T10:00:00")).isEqualTo(1714557600000L);
        assertThat(Timestamps.zoneIgnoredToMillis("2024-05-01T10:00:00Z")).isEqualTo(1714557600000L);
        assertThat(Timestamps.zoneIgnoredToMillis("2024-05-01")).isEqualTo(-1L);
        assertThat(Timestamps.zoneIgnoredToMillis("yesterday at noon")).isEqualTo(-1L);
        assertThat(Timestamps.zoneIgnoredToMillis(null)).isEqualTo(-1L);
        // the CRI parser's format ends in %z: there the zone counts
        assertThat(Timestamps.rfc3339ToMillis("2024-05-01T12:00:00.5+02:00")).isEqualTo(1714557600500L);
    }

    @Test
    void theDigitByDigitReaderAgreesWithTheGeneralParser() {
        SplittableRandom random = new SplittableRandom(7);
        String[] offsets = {
            "Z",
            "z",
            "+00:00",
            "-07:30",
            "+14:00",
            "+18:00",
            "-18:00",
            "+19:00",
            "+05:60",
            "+0530",
            "",
            "Z ",
            "+05:30:15"
        };
        int fastPath = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder t = new StringBuilder();
            t.append(String.format(
                    "%04d-%02d-%02d", random.nextInt(0, 10_000), random.nextInt(0, 14), random.nextInt(0, 33)));
            t.append(random.nextInt(20) == 0 ? 't' : 'T');
            t.append(String.format(
                    "%02d:%02d:%02d", random.nextInt(0, 26), random.nextInt(0, 62), random.nextInt(0, 62)));
            int fraction = random.nextInt(-1, 11);
            if (fraction >= 0) {
                t.append('.');
                for (int d = 0; d < fraction; d++) {
                    t.append((char) ('0' + random.nextInt(10)));
                }
            }
            t.append(offsets[random.nextInt(offsets.length)]);
            if (random.nextInt(50) == 0) {
                t.setCharAt(random.nextInt(t.length()), (char) random.nextInt(32, 127));
            }
            String text = t.toString();
            assertThat(Timestamps.rfc3339ToMillis(text)).as(text).isEqualTo(general(text));
            fastPath += Timestamps.runtimeFormToMillis(text) != Long.MIN_VALUE ? 1 : 0;
        }
        assertThat(fastPath).as("the corpus reaches the fast reader").isGreaterThan(10_000);
    }

    private static long general(String text) {
        try {
            OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return t.toEpochSecond() * 1000L + t.getNano() / 1_000_000;
        } catch (DateTimeParseException e) {
            return -1L;
        }
    }
}
