package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EndToEndResultTest {

    @Test
    void aFreshResultIsClean() {
        assertThat(new EndToEndResult().clean()).isTrue();
    }

    @Test
    void anyLossDuplicateUnknownBrokenTraceDeadLetterOrErrorMakesItUnclean() {
        List<Consumer<EndToEndResult>> faults = List.of(
                r -> r.error = "the job did not finish within the drain timeout",
                r -> r.lost = 1,
                r -> r.duplicated = 1,
                r -> r.unknown = 1,
                r -> r.brokenTraces = 1,
                r -> r.deadLetters = 1);
        for (Consumer<EndToEndResult> fault : faults) {
            EndToEndResult r = new EndToEndResult();
            fault.accept(r);
            assertThat(r.clean()).isFalse();
        }
    }

    @Test
    void slowOrLaggingRunsAreStillClean() {
        EndToEndResult r = new EndToEndResult();
        r.collectorsCaughtUp = false;
        r.p99 = 60_000;
        r.checkpointsFailed = 3;

        assertThat(r.clean()).isTrue();
    }
}
