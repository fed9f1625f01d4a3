package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLayoutsTest {
    private static final List<MetricField> FIELDS = List.of(new MetricField("m", 1, null, -1));

    private static EventLabels labels(String job) {
        return EventLabels.of(Labels.of("job", job), "c", MetricType.GAUGE);
    }

    private static EventLayout layout(EventLabels labels, int bytes) {
        return EventLayout.of(
                EventLayout.hash(labels, FIELDS, List.of()), labels, FIELDS, List.of(), new byte[bytes], bytes,
                new int[0], 0);
    }

    private static EventLayout get(EventLayouts layouts, EventLabels labels) {
        return layouts.get(EventLayout.hash(labels, FIELDS, List.of()), labels, FIELDS, List.of());
    }

    @Test
    void aKeptLayoutIsFoundByItsShape() {
        EventLayouts layouts = new EventLayouts(16, 1 << 20);
        EventLabels a = labels("a");
        assertThat(get(layouts, a)).isNull();
        assertThat(layouts.admits(EventLayout.hash(a, FIELDS, List.of()))).isTrue();
        EventLayout layout = layout(a, 100);
        layouts.put(layout);

        assertThat(get(layouts, a)).isSameAs(layout);
        assertThat(get(layouts, labels("b"))).isNull();
        assertThat(layouts.hits()).isEqualTo(1);
        assertThat(layouts.retainedBytes()).isEqualTo(layout.retainedBytes());
    }

    @Test
    void aUsedLayoutKeepsItsEntryOnceAgainstAShapeThatMissesThere() {
        // one entry: every shape shares it
        EventLayouts layouts = new EventLayouts(1, 1 << 20);
        EventLabels a = labels("a");
        EventLabels b = labels("b");
        int hashB = EventLayout.hash(b, FIELDS, List.of());
        layouts.put(layout(a, 10));
        assertThat(get(layouts, a)).isNotNull();

        assertThat(layouts.admits(hashB)).as("a was used since the last miss").isFalse();
        assertThat(get(layouts, a)).as("a still kept").isNotNull();
        assertThat(get(layouts, b)).isNull();
        assertThat(layouts.admits(hashB)).as("a used again: kept again").isFalse();
        assertThat(layouts.admits(hashB)).as("a not used since").isTrue();
        layouts.put(layout(b, 20));

        assertThat(get(layouts, a)).isNull();
        assertThat(get(layouts, b)).isNotNull();
        assertThat(layouts.retainedBytes()).isEqualTo(layout(b, 20).retainedBytes());
    }

    @Test
    void layoutsStayWithinTheirByteBudget() {
        EventLabels a = labels("a");
        int size = layout(a, 1000).retainedBytes();
        EventLayouts layouts = new EventLayouts(1024, 2L * size);
        int kept = 0;
        for (int i = 0; i < 50; i++) {
            EventLabels labels = labels("job-" + i);
            if (layouts.admits(EventLayout.hash(labels, FIELDS, List.of()))) {
                layouts.put(layout(labels, 1000));
                kept++;
            }
        }
        // two fill the budget; after that a layout only replaces one whose entry it shares
        assertThat(kept).isBetween(2, 4);
        assertThat(layouts.retainedBytes()).isEqualTo(2L * size);
    }

    @Test
    void entriesMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new EventLayouts(12, 1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
