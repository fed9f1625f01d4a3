package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLayoutTest {
    private static final EventLabels LABELS =
            EventLabels.of(Labels.of("job", "j\"<", "pod", "p\u00e9"), "c", MetricType.COUNTER);

    private static List<MetricField> fields(double a, double b) {
        return List.of(new MetricField("a", a, null, -1), new MetricField("b", b, null, -1));
    }

    @Test
    void fixedRunsAreTheEventWithoutItsSlots() {
        byte[] event = "{\"a\":12,\"T\":\"345\",\"b\":6}".getBytes(StandardCharsets.UTF_8);
        // slots: a's value [5, 7), the timestamp [14, 17), b's value [23, 24)
        int[] marks = {5, 7, 0, 14, 17, EventLayout.TIMESTAMP, 23, 24, 1};
        List<MetricField> fields = fields(12, 6);
        int hash = EventLayout.hash(LABELS, fields, List.of());
        EventLayout layout = EventLayout.of(hash, LABELS, fields, List.of(), event, event.length, marks, 3);

        assertThat(layout.slotCount()).isEqualTo(3);
        assertThat(layout.slot(0)).isEqualTo(0);
        assertThat(layout.slot(1)).isEqualTo(EventLayout.TIMESTAMP);
        assertThat(layout.slot(2)).isEqualTo(1);
        GoJsonBytes out = new GoJsonBytes(8);
        StringBuilder runs = new StringBuilder();
        for (int k = 0; k <= 3; k++) {
            out.reset();
            layout.writeRun(k, out);
            runs.append('[').append(out.text()).append(']');
        }
        assertThat(runs.toString()).isEqualTo("[{\"a\":][,\"T\":\"][\",\"b\":][}]");
    }

    @Test
    void aLayoutMatchesItsShapeOnly() {
        List<MetricField> fields = fields(1, 2);
        int hash = EventLayout.hash(LABELS, fields, List.of());
        byte[] event = "{}".getBytes(StandardCharsets.US_ASCII);
        EventLayout layout = EventLayout.of(hash, LABELS, fields, List.of(), event, 2, new int[0], 0);

        // other values and equal, not identical, strings: the same shape
        EventLabels copies = EventLabels.of(
                Labels.of(new String("job"), new String("j\"<"), "pod", new String("p\u00e9")),
                new String("c"),
                MetricType.COUNTER);
        assertThat(EventLayout.hash(copies, fields(7, 8), List.of())).isEqualTo(hash);
        assertThat(layout.matches(hash, copies, fields(7, 8), List.of())).isTrue();

        EventLabels otherValue = EventLabels.of(Labels.of("job", "j\"<", "pod", "q"), "c", MetricType.COUNTER);
        assertThat(layout.matches(EventLayout.hash(otherValue, fields, List.of()), otherValue, fields, List.of()))
                .isFalse();
        EventLabels otherType = EventLabels.of(Labels.of("job", "j\"<", "pod", "p\u00e9"), "c", MetricType.GAUGE);
        assertThat(layout.matches(EventLayout.hash(otherType, fields, List.of()), otherType, fields, List.of()))
                .isFalse();
        List<MetricField> fewer = List.of(new MetricField("a", 1, null, -1));
        assertThat(layout.matches(EventLayout.hash(LABELS, fewer, List.of()), LABELS, fewer, List.of()))
                .isFalse();
        List<Directive> directives = List.of(new Directive(List.of(List.of("job")), List.of("a")));
        assertThat(layout.matches(EventLayout.hash(LABELS, fields, directives), LABELS, fields, directives))
                .isFalse();
        // a hash collision alone is no match
        assertThat(layout.matches(hash, otherValue, fields, List.of())).isFalse();
    }

    @Test
    void aWriterWritesAKnownShapeFromItsLayoutAsItWritesItInFull() {
        Map<String, String> units = Map.of("a", "Count");
        List<Directive> directives = List.of(new Directive(List.of(List.of("job", "pod")), List.of("a")));
        for (EmfFormat format : EmfFormat.values()) {
            EmfJsonWriter writer = new EmfJsonWriter(format, "NS", units);
            EmfJsonWriter inFull = new EmfJsonWriter(format, "NS", units, false);
            writer.write(LABELS, fields(1, 2.5), directives, 1_700_000_000_000L);
            assertThat(writer.layouts().hits()).isZero();

            writer.write(LABELS, fields(1234567, 1e-9), directives, 1_700_000_060_000L);
            inFull.write(LABELS, fields(1234567, 1e-9), directives, 1_700_000_060_000L);

            assertThat(writer.layouts().hits()).isEqualTo(1);
            assertThat(writer.message()).isEqualTo(inFull.message());
            assertThat(writer.messageUtf8()).isEqualTo(inFull.messageUtf8());
            assertThat(inFull.layouts()).isNull();
        }
    }
}
