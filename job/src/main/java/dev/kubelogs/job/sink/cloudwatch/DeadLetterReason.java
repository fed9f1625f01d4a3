package dev.kubelogs.job.sink.cloudwatch;

/** Why an event went to the dead letter instead of (or as well as) CloudWatch Logs. */
public enum DeadLetterReason {
    /** The message was empty and the policy is {@link EmptyMessagePolicy#DEAD_LETTER}. */
    EMPTY_MESSAGE,
    /** The message was over the maximum event size and the policy is {@link OversizeEventPolicy#DEAD_LETTER}. */
    OVERSIZE,
    /** The truncated event landed; this record keeps the full original ({@link OversizeEventPolicy#TRUNCATE_AND_DEAD_LETTER}). */
    TRUNCATED,
    /** The log group or log stream name breaks CloudWatch's naming rules (it could never be written). */
    INVALID_TARGET,
    /** Negative timestamp (PutLogEvents wants ms since the epoch, >= 0). */
    INVALID_TIMESTAMP,
    /** rejectedLogEventsInfo.tooOldLogEventEndIndex: older than 14 days or than the group's retention. */
    TOO_OLD,
    /** rejectedLogEventsInfo.tooNewLogEventStartIndex: more than 2 hours in the future. */
    TOO_NEW,
    /** rejectedLogEventsInfo.expiredLogEventEndIndex. */
    EXPIRED,
    /** CloudWatch refused the whole batch as invalid and the policy is {@link InvalidBatchPolicy#DEAD_LETTER}. */
    INVALID_BATCH
}
