package dev.kubelogs.job.source.kinesis;

import dev.kubelogs.collector.testing.LocalKinesis;
import java.time.Duration;

/** Settings of a stream on the local server for tests: a dummy key, half-second discovery, 100 ms idle polls. */
final class LocalStreams {
    private LocalStreams() {}

    static KinesisStreamSettings settings(String stream, String endpoint, InitialPosition position) {
        return new KinesisStreamSettings(
                stream, LocalKinesis.REGION, endpoint, true, position, Duration.ofMillis(500), Duration.ofMillis(100));
    }
}
