package dev.kubelogs.collector.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The job's schedule object: parsing (the spec's example, unknown fields, other versions), validity, roll points. */
class DiscoveryScheduleTest {
    static final String EXAMPLE = "{\"version\":1,\"publishedMillis\":1796596290000,\"nextMillis\":1796596298426,"
            + "\"periodMillis\":10000,\"validMillis\":300000}";

    static DiscoverySchedule parse(String json) throws IOException {
        return DiscoverySchedule.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSpecsExampleParses() throws IOException {
        assertThat(parse(EXAMPLE)).isEqualTo(new DiscoverySchedule(1, 1796596290000L, 1796596298426L, 10000, 300000));
    }

    @Test
    void unknownFieldsOfAnyShapeAreIgnored() throws IOException {
        String json = "{\"checkpointId\":42,\"version\":1,\"job\":{\"id\":\"x\",\"tags\":[1,{\"a\":null}]},"
                + "\"publishedMillis\":1000,\"nextMillis\":5000,\"note\":\"hi\",\"periodMillis\":10000,"
                + "\"validMillis\":300000,\"ratio\":0.5}";
        assertThat(parse(json)).isEqualTo(new DiscoverySchedule(1, 1000, 5000L, 10000, 300000));
    }

    @Test
    void aNullOrMissingNextDiscoveryIsNoneKnown() throws IOException {
        DiscoverySchedule nulled =
                parse("{\"version\":1,\"publishedMillis\":1000,\"nextMillis\":null,\"periodMillis\":10000,"
                        + "\"validMillis\":300000}");
        DiscoverySchedule missing =
                parse("{\"version\":1,\"publishedMillis\":1000,\"periodMillis\":10000,\"validMillis\":300000}");
        assertThat(nulled.nextMillis()).isNull();
        assertThat(missing.nextMillis()).isNull();
        assertThat(nulled.validAt(1000)).isFalse();
        assertThat(nulled.invalidAt(1000)).contains("no next");
    }

    @Test
    void anotherVersionIsReadForItsVersionAloneWhateverItsOtherFieldsLookLike() throws IOException {
        DiscoverySchedule v2 = parse("{\"version\":2,\"publishedMillis\":\"2026-12-07T03:00:00Z\",\"nextMillis\":[1,2],"
                + "\"periodMillis\":10000,\"validMillis\":300000}");
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.validAt(0)).isFalse();
        assertThat(v2.invalidAt(0)).contains("version 2");
    }

    @Test
    void whatIsNotAVersionOneScheduleIsAnError() {
        assertThatThrownBy(() -> parse("not json")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("[1]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("{\"version\":1,\"publishedMillis\":1000"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("{\"publishedMillis\":1000,\"periodMillis\":10000,\"validMillis\":1}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> parse(
                        "{\"version\":\"1\",\"publishedMillis\":1000,\"periodMillis\":10000," + "\"validMillis\":1}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> parse(
                        "{\"version\":1,\"publishedMillis\":1000,\"nextMillis\":5000," + "\"validMillis\":300000}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("periodMillis");
        assertThatThrownBy(() -> parse("{\"version\":1,\"publishedMillis\":1000,\"nextMillis\":5000.5,"
                        + "\"periodMillis\":10000,\"validMillis\":300000}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nextMillis");
    }

    @Test
    void validUntilPublishedPlusValidWithANextDiscoveryAndAPositivePeriod() {
        DiscoverySchedule s = new DiscoverySchedule(1, 1000, 5000L, 10000, 300000);
        assertThat(s.validAt(1000)).isTrue();
        assertThat(s.validAt(301_000)).as("the last valid ms").isTrue();
        assertThat(s.validAt(301_001)).isFalse();
        assertThat(s.invalidAt(301_001)).contains("expired");
        assertThat(new DiscoverySchedule(1, 1000, 5000L, 0, 300000).validAt(1000))
                .as("no period")
                .isFalse();
        assertThat(new DiscoverySchedule(2, 1000, 5000L, 10000, 300000).validAt(1000))
                .as("another version")
                .isFalse();
    }

    @Test
    void rollPointsContinueBothWaysFromTheNextDiscoveryLessTheLead() {
        DiscoverySchedule s = new DiscoverySchedule(1, 0, 100_000L, 10_000, 300_000);
        // points: 99_700 + j * 10_000
        assertThat(s.rollPointAtOrBefore(99_700, 300)).isEqualTo(99_700);
        assertThat(s.rollPointAtOrBefore(99_699, 300)).isEqualTo(89_700);
        assertThat(s.rollPointAtOrBefore(109_699, 300)).isEqualTo(99_700);
        assertThat(s.rollPointAtOrBefore(109_700, 300)).isEqualTo(109_700);
        assertThat(s.rollPointAtOrBefore(150_001, 300)).isEqualTo(149_700);
        assertThat(s.rollPointAtOrBefore(75_000, 300))
                .as("before the next discovery")
                .isEqualTo(69_700);
        assertThat(s.rollPointAtOrBefore(100_000, 0)).isEqualTo(100_000);
    }
}
