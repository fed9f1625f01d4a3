package dev.kubelogs.job.sink.cloudwatch;

/**
 * What the sink does with an event whose UTF-8 message is longer than the maximum event size
 * (default {@link BatchCutter#MAX_EVENT_BYTES} = 1,048,576 − 26 bytes, the largest message that fits a
 * PutLogEvents request on its own).
 */
public enum OversizeEventPolicy {
    /**
     * Cut the message at a code-point boundary and append the marker
     * {@code " [kubelogs: truncated, original N bytes]"} ({@link BatchCutter#truncationMarker(long)});
     * the result is exactly within the limit. Counted in {@code eventsTruncated}.
     */
    TRUNCATE,
    /** Send the whole event to the dead letter (reason {@code OVERSIZE}); it does not reach CloudWatch. */
    DEAD_LETTER,
    /** Land the truncated event and also send the full original to the dead letter (reason {@code TRUNCATED}). */
    TRUNCATE_AND_DEAD_LETTER
}
