package dev.kubelogs.job.it;

import dev.kubelogs.job.LogPipelineJob;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.time.Duration;

/** The job's sinks as production builds them (exactly once, stream ownership checked), against a local endpoint. */
final class LocalSinks {
    private LocalSinks() {}

    static LogPipelineJob.SinkFactory exactlyOnce(String endpoint, Duration readBackSettleDelay) {
        return () -> CloudWatchLogsSink.builder()
                .region("us-east-1")
                .endpoint(endpoint)
                .staticCredentials("k", "s")
                .streamOwner(CloudWatchLogsSink.ownerKeySelector())
                .readBackSettleDelay(readBackSettleDelay)
                .build();
    }
}
