package dev.kubelogs.job.multiline;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

class RuleFailureLogTest {
    private static final RuleBudgetExceededException HOSTILE =
            new RuleBudgetExceededException("hostile", "(.*a){12}$", 61);
    private static final RuleBudgetExceededException OTHER = new RuleBudgetExceededException("other", "x+x+y", 30);

    private long now;
    private final SimpleCounter counter = new SimpleCounter();
    private final RuleFailureLog log = new RuleFailureLog(counter, () -> now);

    @Test
    void everyLineIsCountedButARuleSetAndContainerWarnsAtMostOnceAMinute() {
        assertThat(log.gaveUp("pod shop/a", HOSTILE)).isTrue();
        assertThat(log.gaveUp("pod shop/a", HOSTILE)).isFalse();
        // another container or another rule set has its own warning
        assertThat(log.gaveUp("pod shop/b", HOSTILE)).isTrue();
        assertThat(log.gaveUp("pod shop/a", OTHER)).isTrue();
        now += RuleFailureLog.WARN_INTERVAL_NANOS - 1;
        assertThat(log.gaveUp("pod shop/a", HOSTILE)).isFalse();
        now += 1;
        assertThat(log.gaveUp("pod shop/a", HOSTILE)).isTrue();
        assertThat(counter.getCount()).isEqualTo(6);
    }
}
