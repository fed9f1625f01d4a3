package dev.kubelogs.collector.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KubeletSettingsTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private static KubeletSettings settings(Duration poll, Duration timeout, Duration grace) {
        return new KubeletSettings(
                true,
                "127.0.0.1",
                10250,
                poll,
                timeout,
                grace,
                Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"),
                null,
                false);
    }

    @Test
    void aZeroDeleteGraceAnnouncesDeletionsAtOnce() {
        KubeletSettings s = settings(SECOND, SECOND, Duration.ZERO);

        assertThat(s.deleteGrace()).isZero();
        assertThat(s.caFile()).isNull();
    }

    @Test
    void thePollIntervalAndTimeoutMustBePositiveAndAreNamedByTheirSetting() {
        assertThatThrownBy(() -> settings(Duration.ZERO, SECOND, SECOND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kubeletPollInterval must be a positive duration: PT0S");
        assertThatThrownBy(() -> settings(null, SECOND, SECOND))
                .hasMessage("kubeletPollInterval must be a positive duration: null");
        assertThatThrownBy(() -> settings(SECOND, Duration.ofMillis(-5), SECOND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kubeletTimeout must be a positive duration: PT-0.005S");
    }

    @Test
    void theDeleteGraceMustBeSetAndNotNegative() {
        assertThatThrownBy(() -> settings(SECOND, SECOND, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kubeletDeleteGrace must not be negative: PT-1S");
        assertThatThrownBy(() -> settings(SECOND, SECOND, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("kubeletDeleteGrace");
    }

    @Test
    void aDisabledPollerIsCheckedAllTheSame() {
        assertThatThrownBy(() -> new KubeletSettings(false, null, 0, Duration.ZERO, SECOND, SECOND, null, null, true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
