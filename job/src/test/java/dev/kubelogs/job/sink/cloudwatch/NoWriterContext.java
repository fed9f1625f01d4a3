package dev.kubelogs.job.sink.cloudwatch;

import org.apache.flink.api.connector.sink2.SinkWriter;

/** A writer's context with no watermark and no record timestamp, as the sink's writers get it from a job without event time. */
final class NoWriterContext {
    static final SinkWriter.Context INSTANCE = new SinkWriter.Context() {
        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Override
        public Long timestamp() {
            return null;
        }
    };

    private NoWriterContext() {}
}
