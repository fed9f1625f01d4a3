package dev.kubelogs.job.metrics.source;

/** A running discovery (informers, a static list): stops reporting when closed. */
public interface TargetDiscovery extends AutoCloseable {
    @Override
    void close() throws Exception;
}
