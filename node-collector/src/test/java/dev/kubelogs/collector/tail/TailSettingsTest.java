package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailSettingsTest {
    private static TailSettings settings(Duration poll, int maxLineBytes) {
        return new TailSettings(
                Path.of("/var/log"),
                Path.of("/var/lib/docker/containers"),
                List.of("containers/*.log"),
                List.of(),
                List.of("messages"),
                true,
                poll,
                maxLineBytes,
                Duration.ofSeconds(5));
    }

    @Test
    void validSettingsAreKeptAndTheGlobListsCopied() {
        List<String> include = new ArrayList<>(List.of("containers/*.log"));
        TailSettings s = new TailSettings(
                Path.of("/var/log"),
                Path.of("/var/lib/docker/containers"),
                include,
                List.of("containers/skip*.log"),
                List.of(),
                false,
                Duration.ofMillis(1),
                16,
                Duration.ZERO);
        include.add("pods/*.log");

        assertThat(s.includeGlobs()).containsExactly("containers/*.log");
        assertThatThrownBy(() -> s.excludeGlobs().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(s.maxLineBytes()).isEqualTo(16);
        assertThat(s.rotateWait()).isZero();
    }

    @Test
    void thePollIntervalMustBePositive() {
        for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofMillis(-1)}) {
            assertThatThrownBy(() -> settings(bad, 1024))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("pollInterval must be a positive duration: " + bad);
        }
    }

    @Test
    void linesMustBeAllowedAtLeast16Bytes() {
        assertThatThrownBy(() -> settings(Duration.ofMillis(100), 15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLineBytes must be >= 16: 15");
        assertThat(settings(Duration.ofMillis(100), 16).maxLineBytes()).isEqualTo(16);
    }

    @Test
    void pathsAndRotateWaitAreRequiredAndNamed() {
        assertThatThrownBy(() -> new TailSettings(
                        null,
                        Path.of("/d"),
                        List.of(),
                        List.of(),
                        List.of(),
                        true,
                        Duration.ofSeconds(1),
                        16,
                        Duration.ZERO))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("logRoot");
        assertThatThrownBy(() -> new TailSettings(
                        Path.of("/l"),
                        null,
                        List.of(),
                        List.of(),
                        List.of(),
                        true,
                        Duration.ofSeconds(1),
                        16,
                        Duration.ZERO))
                .hasMessage("dockerContainersDir");
        assertThatThrownBy(() -> new TailSettings(
                        Path.of("/l"),
                        Path.of("/d"),
                        List.of(),
                        List.of(),
                        List.of(),
                        true,
                        Duration.ofSeconds(1),
                        16,
                        null))
                .hasMessage("rotateWait");
    }
}
