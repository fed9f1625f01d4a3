package dev.kubelogs.job.sink.cloudwatch;

/** CloudWatch Logs rejects an empty message (EventMessage min length 1); what the sink does instead. */
public enum EmptyMessagePolicy {
    /** Send the event to the dead letter with reason {@code EMPTY_MESSAGE} (default). */
    DEAD_LETTER,
    /** Replace the message by the configured placeholder (default {@code "(empty)"}) and land it. */
    REPLACE
}
