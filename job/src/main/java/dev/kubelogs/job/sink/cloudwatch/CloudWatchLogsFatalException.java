package dev.kubelogs.job.sink.cloudwatch;

import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * A CloudWatch Logs failure that retrying cannot heal (see {@link CloudWatchLogsExceptionClassifier#unhealable}).
 * Its message is one line: the operation, the log group (and stream), the AWS error code and what to check.
 *
 * <p>It is a {@link SuppressRestartsException}, which Flink classifies as a non-recoverable error wherever it sits
 * in the cause chain: the job ends FAILED with this message instead of restarting into the same error forever.
 * Fixing the cause and starting the job again from its last checkpoint loses nothing (the committables in it are
 * read back and completed).
 */
public final class CloudWatchLogsFatalException extends SuppressRestartsException {
    private static final long serialVersionUID = 1L;

    private final String line;

    CloudWatchLogsFatalException(String line, Throwable cause) {
        super(cause);
        this.line = line;
    }

    /** The one line (SuppressRestartsException's own message is a generic "unrecoverable failure"). */
    @Override
    public String getMessage() {
        return line;
    }
}
