package dev.kubelogs.job.metrics.source;

import java.io.Serializable;
import org.apache.flink.metrics.MetricGroup;

/**
 * Starts target discovery on the JobManager, where the enumerator runs. Shipped with the source, so it is
 * serializable and holds configuration only; clients, informers and threads are made in {@link #start}.
 */
@FunctionalInterface
public interface TargetDiscoveryFactory extends Serializable {

    /**
     * Starts discovery; it reports to {@code updates} from now on, from any thread, until closed.
     *
     * @throws Exception when discovery cannot start (the enumerator fails, and with it the job, naming the cause)
     */
    TargetDiscovery start(TargetUpdates updates) throws Exception;

    /** {@link #start(TargetUpdates)}, with a group for discovery's own metrics (the enumerator's). */
    default TargetDiscovery start(TargetUpdates updates, MetricGroup metrics) throws Exception {
        return start(updates);
    }
}
