package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.connector.sink2.SinkWriter;

/** How a record of the sink's input becomes the events the {@link CloudWatchLogsSinkWriter} takes. */
interface SinkInput<IN> extends Serializable {
    /** A record is one event. */
    SinkInput<CloudWatchEvent> EVENTS = new Events();

    /** A record is a bundle of one log stream's events, written in their order. */
    SinkInput<CloudWatchEventBundle> BUNDLES = new Bundles();

    void write(IN record, CloudWatchLogsSinkWriter writer, SinkWriter.Context context)
            throws IOException, InterruptedException;

    /** See {@link #EVENTS}. */
    final class Events implements SinkInput<CloudWatchEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(CloudWatchEvent event, CloudWatchLogsSinkWriter writer, SinkWriter.Context context)
                throws IOException, InterruptedException {
            writer.write(event, context);
        }

        private Object readResolve() {
            return EVENTS;
        }
    }

    /** See {@link #BUNDLES}. */
    final class Bundles implements SinkInput<CloudWatchEventBundle> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(CloudWatchEventBundle bundle, CloudWatchLogsSinkWriter writer, SinkWriter.Context context)
                throws IOException, InterruptedException {
            writer.write(bundle, context);
        }

        private Object readResolve() {
            return BUNDLES;
        }
    }
}
