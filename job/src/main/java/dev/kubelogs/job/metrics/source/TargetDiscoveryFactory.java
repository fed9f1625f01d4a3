package dev.kubelogs.job.metrics.source;

import java.io.Serializable;

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
}
