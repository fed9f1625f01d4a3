package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DiscoverySchedulePublisherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The wall clock is this far ahead of the discovery clock. */
    private static final long WALL_OFFSET = 1_796_000_000_000L;

    private final AtomicLong wall = new AtomicLong();
    private final DiscoverySchedulePublisher publisher = new DiscoverySchedulePublisher(wall::get);

    private byte[] at(long now, OptionalLong next, long period) {
        wall.set(now + WALL_OFFSET);
        return publisher.update(next, period, now);
    }

    @Test
    void theNextAlignedDiscoveryIsToldOnTheWallClockWithItsPeriod() throws Exception {
        JsonNode o = JSON.readTree(at(10_000, OptionalLong.of(14_500), 5_000));

        assertThat(o.get("version").asInt()).isEqualTo(1);
        assertThat(o.get("publishedMillis").asLong()).isEqualTo(WALL_OFFSET + 10_000);
        assertThat(o.get("nextMillis").asLong()).isEqualTo(WALL_OFFSET + 14_500);
        assertThat(o.get("periodMillis").asLong()).isEqualTo(5_000);
        assertThat(o.get("validMillis").asLong()).isEqualTo(DiscoverySchedulePublisher.VALID_MILLIS);
    }

    @Test
    void theSameScheduleIsNotWrittenAgainUntilAQuarterOfItsValidityPassed() {
        assertThat(at(10_000, OptionalLong.of(14_500), 5_000)).isNotNull();
        assertThat(at(14_500, OptionalLong.of(19_500), 5_000))
                .as("the next point of the same schedule")
                .isNull();
        assertThat(at(19_500, OptionalLong.of(24_530), 5_000))
                .as("30 ms of jitter")
                .isNull();
        long quarter = DiscoverySchedulePublisher.VALID_MILLIS / 4;
        assertThat(at(10_000 + quarter - 1, OptionalLong.of(14_500 + quarter), 5_000))
                .isNull();
        assertThat(at(10_000 + quarter, OptionalLong.of(14_500 + quarter), 5_000))
                .as("republished, so collectors can tell it still holds")
                .isNotNull();
    }

    @Test
    void aNewPhaseOrPeriodIsWrittenAtOnce() throws Exception {
        at(10_000, OptionalLong.of(14_500), 5_000);
        assertThat(at(14_500, OptionalLong.of(21_000), 5_000))
                .as("phase moved 1.5 s")
                .isNotNull();
        JsonNode o = JSON.readTree(at(21_000, OptionalLong.of(31_000), 10_000));
        assertThat(o.get("periodMillis").asLong()).as("the quiet interval").isEqualTo(10_000);
    }

    @Test
    void losingAlignmentTellsNoTimeSoCollectorsRollByAgeAndFindingItAgainTellsIt() throws Exception {
        at(10_000, OptionalLong.of(14_500), 5_000);
        JsonNode lost = JSON.readTree(at(14_500, OptionalLong.empty(), 5_000));
        assertThat(lost.get("nextMillis").isNull()).isTrue();
        assertThat(lost.get("periodMillis").asLong()).isZero();
        assertThat(at(19_500, OptionalLong.empty(), 5_000)).isNull();
        assertThat(at(24_500, OptionalLong.of(29_500), 5_000)).isNotNull();
    }

    @Test
    void aFailedWriteIsWrittenAgainAtTheNextUpdate() {
        assertThat(at(10_000, OptionalLong.of(14_500), 5_000)).isNotNull();
        publisher.writeFailed();
        assertThat(at(14_500, OptionalLong.of(19_500), 5_000)).isNotNull();
    }
}
