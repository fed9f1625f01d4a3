package dev.kubelogs.job.metrics.emf;

import java.util.Arrays;
import java.util.List;

/**
 * The bytes of one event's shape that do not change from scrape to scrape, with the places of those that do. A
 * series group's event has the same labels, metric names and directives every scrape; only the timestamp and the
 * values differ. {@link EmfJsonWriter} writes an event of a known shape as its fixed runs with the timestamp and
 * each field's value between them, instead of escaping, merging and sorting its keys again.
 *
 * <p>The shape is the key: the labels' names and values, the fields' names in order, the directives. Everything
 * else the writer's bytes depend on (format, namespace, units) is the writer's own. Slot {@code k} is
 * {@link #TIMESTAMP} or the index of the field whose value goes there; fixed run {@code k} precedes it, and one more
 * run follows the last slot. Immutable.
 */
final class EventLayout {
    /** The slot of the event's timestamp. */
    static final int TIMESTAMP = -1;

    private final int hash;
    private final String[] labelNames;
    private final String[] labelValues;
    private final String[] fieldNames;
    private final List<Directive> directives;
    private final byte[] fixed;
    /** Where fixed run {@code k} ends in {@link #fixed}; it starts where run {@code k - 1} ends. */
    private final int[] runEnds;

    private final int[] slots;

    private EventLayout(
            int hash,
            String[] labelNames,
            String[] labelValues,
            String[] fieldNames,
            List<Directive> directives,
            byte[] fixed,
            int[] runEnds,
            int[] slots) {
        this.hash = hash;
        this.labelNames = labelNames;
        this.labelValues = labelValues;
        this.fieldNames = fieldNames;
        this.directives = directives;
        this.fixed = fixed;
        this.runEnds = runEnds;
        this.slots = slots;
    }

    /**
     * The layout of an event written in full: {@code event[0, length)} its bytes, and for each of {@code slotCount}
     * slots, in order, {@code marks[3k]} where its bytes start, {@code marks[3k + 1]} where they end and
     * {@code marks[3k + 2]} what goes there.
     */
    static EventLayout of(
            int hash,
            EventLabels labels,
            List<MetricField> fields,
            List<Directive> directives,
            byte[] event,
            int length,
            int[] marks,
            int slotCount) {
        String[] labelNames = new String[labels.size()];
        String[] labelValues = new String[labels.size()];
        for (int i = 0; i < labelNames.length; i++) {
            labelNames[i] = labels.name(i);
            labelValues[i] = labels.value(i);
        }
        String[] fieldNames = new String[fields.size()];
        for (int i = 0; i < fieldNames.length; i++) {
            fieldNames[i] = fields.get(i).name();
        }
        int variable = 0;
        for (int k = 0; k < slotCount; k++) {
            variable += marks[3 * k + 1] - marks[3 * k];
        }
        byte[] fixed = new byte[length - variable];
        int[] runEnds = new int[slotCount + 1];
        int[] slots = new int[slotCount];
        int from = 0;
        int to = 0;
        for (int k = 0; k < slotCount; k++) {
            int start = marks[3 * k];
            System.arraycopy(event, from, fixed, to, start - from);
            to += start - from;
            runEnds[k] = to;
            slots[k] = marks[3 * k + 2];
            from = marks[3 * k + 1];
        }
        System.arraycopy(event, from, fixed, to, length - from);
        runEnds[slotCount] = fixed.length;
        return new EventLayout(
                hash, labelNames, labelValues, fieldNames, List.copyOf(directives), fixed, runEnds, slots);
    }

    /** The hash of a shape: of its label names and values, field names and directives (strings cache theirs). */
    static int hash(EventLabels labels, List<MetricField> fields, List<Directive> directives) {
        int h = labels.size();
        for (int i = 0; i < labels.size(); i++) {
            h = 31 * h + labels.name(i).hashCode();
            h = 31 * h + labels.value(i).hashCode();
        }
        h = 31 * h + fields.size();
        for (int i = 0; i < fields.size(); i++) {
            h = 31 * h + fields.get(i).name().hashCode();
        }
        return directives.isEmpty() ? h : 31 * h + directives.hashCode();
    }

    int hash() {
        return hash;
    }

    /** Whether this is the layout of that shape, whose {@link #hash} is {@code hash}. */
    boolean matches(int hash, EventLabels labels, List<MetricField> fields, List<Directive> directives) {
        if (hash != this.hash || labels.size() != labelNames.length || fields.size() != fieldNames.length) {
            return false;
        }
        for (int i = 0; i < labelNames.length; i++) {
            if (!same(labelNames[i], labels.name(i)) || !same(labelValues[i], labels.value(i))) {
                return false;
            }
        }
        for (int i = 0; i < fieldNames.length; i++) {
            if (!same(fieldNames[i], fields.get(i).name())) {
                return false;
            }
        }
        return directives.equals(this.directives);
    }

    private static boolean same(String a, String b) {
        return a == b || a.equals(b);
    }

    int slotCount() {
        return slots.length;
    }

    /** {@link #TIMESTAMP} or the index of a field. */
    int slot(int k) {
        return slots[k];
    }

    /** Writes the fixed run before slot {@code k} ({@code k == slotCount()}: the run after the last slot). */
    void writeRun(int k, GoJsonBytes out) {
        int start = k == 0 ? 0 : runEnds[k - 1];
        out.writeAscii(fixed, start, runEnds[k] - start);
    }

    /** Roughly the heap this layout holds: its fixed bytes and references. */
    int retainedBytes() {
        return fixed.length + 8 * (labelNames.length * 2 + fieldNames.length + runEnds.length + slots.length) + 64;
    }

    @Override
    public String toString() {
        return "EventLayout" + Arrays.toString(labelNames) + Arrays.toString(fieldNames) + " slots "
                + Arrays.toString(slots);
    }
}
