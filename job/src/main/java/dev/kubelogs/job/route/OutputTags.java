package dev.kubelogs.job.route;

import dev.kubelogs.job.model.CloudWatchEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The node processor's events leave on one side output, every category's under its own log group, read by one sink
 * (one writer and one committer per subtask, so a subtask's committables are one checkpoint stream); the main output
 * stays empty.
 */
public final class OutputTags {
    private OutputTags() {}

    /** Every log event: application, host, dataplane and the keyed stage's dead letters. */
    public static final OutputTag<CloudWatchEvent> EVENTS =
            new OutputTag<>("events", TypeInformation.of(CloudWatchEvent.class));
}
