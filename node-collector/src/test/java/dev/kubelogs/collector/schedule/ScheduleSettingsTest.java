package dev.kubelogs.collector.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleSettingsTest {
    @Test
    void zeroPollIntervalNeverReadsTheSchedule() {
        assertThat(new ScheduleSettings(Duration.ZERO, Duration.ofMillis(300)).enabled())
                .isFalse();
        assertThat(new ScheduleSettings(Duration.ofSeconds(30), Duration.ZERO).enabled())
                .isTrue();
    }

    @Test
    void negativeDurationsAreRejectedByName() {
        assertThatThrownBy(() -> new ScheduleSettings(Duration.ofSeconds(-1), Duration.ZERO))
                .hasMessageContaining("DISCOVERY_SCHEDULE_POLL");
        assertThatThrownBy(() -> new ScheduleSettings(Duration.ZERO, Duration.ofMillis(-1)))
                .hasMessageContaining("SEGMENT_ROLL_LEAD");
        assertThatThrownBy(() -> new ScheduleSettings(null, Duration.ZERO)).hasMessageContaining("DISCOVERY");
    }
}
