package dev.kubelogs.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpoolSettingsTest {
    private static final Path SPOOL = Path.of("/var/spool/kubelogs");
    private static final Path STATE = Path.of("/var/lib/kubelogs");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void positiveSizesAndDurationsAreKept() {
        SpoolSettings s = new SpoolSettings(SPOOL, STATE, 1, Duration.ofMillis(1), 1, Duration.ofDays(7));

        assertThat(s.maxSegmentBytes()).isEqualTo(1);
        assertThat(s.retention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void eachSizeMustBePositiveAndIsNamed() {
        assertThatThrownBy(() -> new SpoolSettings(SPOOL, STATE, 0, MINUTE, 100, MINUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSegmentBytes must be > 0: 0");
        assertThatThrownBy(() -> new SpoolSettings(SPOOL, STATE, 100, MINUTE, -1, MINUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSpoolBytes must be > 0: -1");
    }

    @Test
    void eachDurationMustBePositiveAndIsNamed() {
        assertThatThrownBy(() -> new SpoolSettings(SPOOL, STATE, 100, Duration.ZERO, 100, MINUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSegmentAge must be a positive duration: PT0S");
        assertThatThrownBy(() -> new SpoolSettings(SPOOL, STATE, 100, MINUTE, 100, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spoolRetention must be a positive duration: null");
        assertThatThrownBy(() -> new SpoolSettings(SPOOL, STATE, 100, MINUTE, 100, Duration.ofSeconds(-1)))
                .hasMessage("spoolRetention must be a positive duration: PT-1S");
    }

    @Test
    void theDirectoriesAreRequiredAndNamed() {
        assertThatThrownBy(() -> new SpoolSettings(null, STATE, 100, MINUTE, 100, MINUTE))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("spoolDir");
        assertThatThrownBy(() -> new SpoolSettings(SPOOL, null, 100, MINUTE, 100, MINUTE))
                .hasMessage("stateDir");
    }
}
