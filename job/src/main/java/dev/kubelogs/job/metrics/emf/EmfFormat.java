package dev.kubelogs.job.metrics.emf;

/**
 * Where an event's metric directive goes.
 *
 * <ul>
 *   <li>{@link #AGENT_V0}: the CloudWatch agent's Prometheus output (its exporter's {@code version: "0"}): a root
 *       {@code CloudWatchMetrics} array, a root string {@code Timestamp} and {@code Version: "0"} on every event,
 *       with a directive or not (the agent's exporter fork writes both "for backwards compatibility, even for
 *       non-EMF events", {@code translateCWMetricToEMF}).
 *   <li>{@link #AWS}: the documented EMF form (the exporter's {@code version: "1"}):
 *       {@code "_aws":{"CloudWatchMetrics":[...],"Timestamp":<number>}} and {@code Version: "1"}, both only when a
 *       directive is present; an event without one carries no timestamp field, as the exporter writes it.
 * </ul>
 */
public enum EmfFormat {
    AGENT_V0,
    AWS
}
