package dev.kubelogs.job.route;

import dev.kubelogs.job.model.CloudWatchEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** One side output per category; the node processor's main output stays empty. */
public final class OutputTags {
    private OutputTags() {}

    private static final TypeInformation<CloudWatchEvent> EVENT = TypeInformation.of(CloudWatchEvent.class);

    public static final OutputTag<CloudWatchEvent> APPLICATION = new OutputTag<>("application", EVENT);
    public static final OutputTag<CloudWatchEvent> HOST = new OutputTag<>("host", EVENT);
    public static final OutputTag<CloudWatchEvent> DATAPLANE = new OutputTag<>("dataplane", EVENT);
    public static final OutputTag<CloudWatchEvent> DEAD_LETTER = new OutputTag<>("dead-letter", EVENT);

    public static OutputTag<CloudWatchEvent> of(Category category) {
        switch (category) {
            case APPLICATION:
                return APPLICATION;
            case HOST:
                return HOST;
            case DATAPLANE:
                return DATAPLANE;
            default:
                return DEAD_LETTER;
        }
    }
}
