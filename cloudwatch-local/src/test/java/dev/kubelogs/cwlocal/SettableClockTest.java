package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SettableClockTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void itStandsStillUntilSetOrAdvanced() {
        SettableClock clock = new SettableClock(START);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
        assertThat(clock.instant()).isEqualTo(START);

        clock.advance(Duration.ofMinutes(5));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(300));
        clock.advance(Duration.ofMillis(-1));
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli() + 299_999);

        clock.set(Instant.EPOCH);
        assertThat(clock.millis()).isZero();
    }

    @Test
    void itIsInUtcAndAZoneViewSharesItsInstant() {
        SettableClock clock = new SettableClock(START);
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);

        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofHours(1));

        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.instant()).isEqualTo(START.plusSeconds(3600));
        ((SettableClock) paris).set(START);
        assertThat(clock.instant()).as("set through the view").isEqualTo(START);
    }

    @Test
    void advancesFromManyThreadsAreAllKept() throws Exception {
        SettableClock clock = new SettableClock(START);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(clock.millis()).isEqualTo(START.toEpochMilli() + 4_000);
    }
}
