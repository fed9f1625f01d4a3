package dev.kubelogs.job;

import dev.kubelogs.job.route.JournalRouting;
import dev.kubelogs.job.route.RoutingRules;
import java.io.Serializable;
import java.time.Duration;

/** The knobs of the keyed stage; the Container Insights defaults unless configured otherwise. */
public final class JobOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_GROUP_PREFIX = "/aws/containerinsights";

    private final String logGroupPrefix;
    private final RoutingRules routingRules;
    private final JournalRouting journalRouting;
    private final Duration multilineFlushTimeout;

    public JobOptions(
            String logGroupPrefix, RoutingRules routingRules, JournalRouting journalRouting, Duration multilineFlushTimeout) {
        this.logGroupPrefix = logGroupPrefix;
        this.routingRules = routingRules;
        this.journalRouting = journalRouting;
        this.multilineFlushTimeout = multilineFlushTimeout;
    }

    public static JobOptions defaults() {
        return new JobOptions(
                DEFAULT_GROUP_PREFIX,
                RoutingRules.containerInsightsDefaults(),
                JournalRouting.containerInsightsDefaults(),
                Duration.ofSeconds(4));
    }

    public String logGroupPrefix() {
        return logGroupPrefix;
    }

    public RoutingRules routingRules() {
        return routingRules;
    }

    public JournalRouting journalRouting() {
        return journalRouting;
    }

    public Duration multilineFlushTimeout() {
        return multilineFlushTimeout;
    }
}
