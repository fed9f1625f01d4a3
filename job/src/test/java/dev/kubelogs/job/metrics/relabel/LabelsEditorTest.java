package dev.kubelogs.job.metrics.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import org.junit.jupiter.api.Test;

/** Prometheus' labels.Builder semantics: copy on the first real change; an empty value deletes. */
class LabelsEditorTest {
    private static final Labels INPUT = Labels.of("instance", "a:1", "job", "app");

    private static LabelsEditor editing(Labels labels) {
        LabelsEditor e = new LabelsEditor();
        e.reset(labels);
        return e;
    }

    @Test
    void aNewEditorHoldsNoLabels() {
        LabelsEditor e = new LabelsEditor();
        assertThat(e.snapshot()).isSameAs(Labels.EMPTY);
        assertThat(e.get("job")).isNull();
    }

    @Test
    void noChangeGivesTheInputItself() {
        LabelsEditor e = editing(INPUT);
        e.set("job", "app");
        e.delete("absent");
        e.set("absent", "");

        assertThat(e.snapshot()).isSameAs(INPUT);
    }

    @Test
    void changesAreReadBackAndLeaveTheInputAlone() {
        LabelsEditor e = editing(INPUT);
        e.set("job", "other");
        e.set("env", "prod");
        e.delete("instance");

        assertThat(e.get("job")).isEqualTo("other");
        assertThat(e.get("instance")).isNull();
        assertThat(e.snapshot()).isEqualTo(Labels.of("env", "prod", "job", "other"));
        assertThat(INPUT).isEqualTo(Labels.of("instance", "a:1", "job", "app"));
    }

    @Test
    void anEmptyValueDeletes() {
        LabelsEditor e = editing(INPUT);
        e.set("instance", "");

        assertThat(e.get("instance")).isNull();
        assertThat(e.snapshot()).isEqualTo(Labels.of("job", "app"));
    }

    @Test
    void settingBackTheOriginalValueStillYieldsEqualLabels() {
        LabelsEditor e = editing(INPUT);
        e.set("job", "other");
        e.set("job", "app");

        assertThat(e.snapshot()).isEqualTo(INPUT);
    }

    @Test
    void resetForgetsThePreviousEdits() {
        LabelsEditor e = editing(INPUT);
        e.set("job", "other");
        Labels next = Labels.of("a", "1");
        e.reset(next);

        assertThat(e.get("job")).isNull();
        assertThat(e.snapshot()).isSameAs(next);
        e.set("b", "2");
        assertThat(e.snapshot()).isEqualTo(Labels.of("a", "1", "b", "2"));
    }

    @Test
    void aSnapshotIsNotChangedByLaterEdits() {
        LabelsEditor e = editing(INPUT);
        e.set("job", "first");
        Labels first = e.snapshot();
        e.set("job", "second");

        assertThat(first.get("job")).isEqualTo("first");
        assertThat(e.snapshot().get("job")).isEqualTo("second");
    }
}
