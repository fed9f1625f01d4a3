package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KinesisPutsTest {

    @Test
    void theWindowsPutsAreTheDifferenceOfTwoReadings() {
        KinesisPuts start = new KinesisPuts(10, 1_000, true);
        KinesisPuts end = new KinesisPuts(25, 4_500, true);

        assertThat(end.since(start)).isEqualTo(new KinesisPuts(15, 3_500, true));
    }

    @Test
    void aReadingWithACollectorMissingMakesTheWindowIncomplete() {
        KinesisPuts start = new KinesisPuts(10, 1_000, false);

        assertThat(new KinesisPuts(12, 1_500, true).since(start).complete()).isFalse();
        assertThat(KinesisPuts.read(List.of())).isEqualTo(new KinesisPuts(0, 0, true));
    }
}
