package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.MetricType;

/**
 * The family and type of a name the parse did not type a sample by: the CloudWatch agent types a sample by its
 * {@code cwagent_saved_scrape_name} after {@code metric_relabel_configs} ran, and a user's rule may have set that
 * label to another name. Answers from the target's metadata as it stands after this scrape's body was read, with the
 * look-up {@link FamilyTypes} makes for the parsed names. Not thread-safe; use it for the scrape it was made for.
 */
public final class SavedNameTypes {
    private final FamilyTypes types;

    public SavedNameTypes(ExpositionFormat format, TargetMetadata metadata) {
        this.types = new FamilyTypes(format == ExpositionFormat.OPENMETRICS_1_0, metadata);
    }

    /** The metadata name the type of {@code name} is found under, else {@code name} itself. */
    public String familyOf(String name) {
        return types.familyOf(name);
    }

    /** The type of {@code name}; {@link MetricType#UNTYPED} when the metadata has none. */
    public MetricType typeOf(String name) {
        return types.typeOf(name);
    }
}
