package dev.kubelogs.job.sink.cloudwatch;

/**
 * The failure and failover cases of {@link CloudWatchLogsSinkFailureITCase} with the puts sent by
 * {@link dev.kubelogs.job.sink.cloudwatch.lean.LeanPutLogEvents}: every event lands once, read-backs and dead
 * letters as on the SDK client's path.
 */
class CloudWatchLogsSinkLeanPutsFailureITCase extends CloudWatchLogsSinkFailureITCase {
    @Override
    CloudWatchLogsSinkBuilder sink() {
        return super.sink().leanPuts(true);
    }
}
