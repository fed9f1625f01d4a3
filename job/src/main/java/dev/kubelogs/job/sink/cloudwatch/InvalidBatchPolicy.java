package dev.kubelogs.job.sink.cloudwatch;

/**
 * What the committer does when CloudWatch refuses a whole batch as invalid ({@code InvalidParameterException}
 * and friends). The batch cutter keeps every batch inside the documented limits, so this should not happen;
 * if it does, the batch is "poison": retrying it cannot succeed.
 */
public enum InvalidBatchPolicy {
    /** Dead-letter every event of the batch with reason {@code INVALID_BATCH} and the service message. */
    DEAD_LETTER,
    /** Fail the job (the batch stays in checkpoint state; the job will fail again after restart). */
    FAIL
}
