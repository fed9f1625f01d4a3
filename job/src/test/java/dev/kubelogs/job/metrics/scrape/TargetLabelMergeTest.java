package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prometheus' mutateSampleLabels (scrape/scrape.go), both honor_labels settings. */
class TargetLabelMergeTest {
    private static final Labels TARGET = Labels.of("job", "app", "instance", "10.0.0.1:8080");

    @Test
    void targetLabelsAreAddedToSamplesWithoutThem() {
        assertThat(TargetLabelMerge.merge(Labels.of("code", "200"), TARGET, false))
                .isEqualTo(Labels.of("code", "200", "job", "app", "instance", "10.0.0.1:8080"));
    }

    @Test
    void aConflictIsRenamedWithAsManyExportedPrefixesAsNeededShorterNamesFirst() {
        Labels exposed = Labels.of("job", "exporter", "exported_job", "x", "instance", "i");

        assertThat(TargetLabelMerge.merge(exposed, TARGET, false))
                .isEqualTo(Labels.of(
                        "job",
                        "app",
                        "instance",
                        "10.0.0.1:8080",
                        "exported_job",
                        "x",
                        "exported_exported_job",
                        "exporter",
                        "exported_instance",
                        "i"));
    }

    @Test
    void withHonorLabelsTheExposedValueWinsAndMissingTargetLabelsAreAdded() {
        assertThat(TargetLabelMerge.merge(Labels.of("job", "exporter"), TARGET, true))
                .isEqualTo(Labels.of("job", "exporter", "instance", "10.0.0.1:8080"));
    }

    @Test
    void withHonorLabelsAnExposedEmptyValueKeepsTheTargetLabelOut() {
        // mutateSampleLabels: lset.Has("job") is true for job="", and labels.Builder drops the empty label
        assertThat(TargetLabelMerge.merge(Labels.of("code", "200"), List.of("job"), TARGET, true))
                .isEqualTo(Labels.of("code", "200", "instance", "10.0.0.1:8080"));
        // without honor_labels an empty exposed value is no conflict: the target's label, no exported_job
        assertThat(TargetLabelMerge.merge(Labels.of("code", "200"), List.of("job"), TARGET, false))
                .isEqualTo(Labels.of("code", "200", "job", "app", "instance", "10.0.0.1:8080"));
    }
}
