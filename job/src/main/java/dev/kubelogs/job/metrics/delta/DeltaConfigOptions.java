package dev.kubelogs.job.metrics.delta;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Settings of the metrics pipeline's delta stage ({@link DeltaCalculator}). */
public final class DeltaConfigOptions {
    private DeltaConfigOptions() {}

    /**
     * The agent forgets a counter 5 minutes after its last update (reference §7); so does the state here, and a
     * metric whose stored sample is older than this in sample time primes again instead of giving a delta.
     */
    public static final ConfigOption<Duration> STATE_TTL = ConfigOptions.key("kubelogs.metrics.delta.state-ttl")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("A counter's previous value is forgotten this long after it was last written; its next "
                    + "sample then primes again (emits nothing), as the CloudWatch agent's 5-minute expiry.");
}
