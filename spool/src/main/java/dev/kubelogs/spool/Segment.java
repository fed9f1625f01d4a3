package dev.kubelogs.spool;

import java.util.List;
import java.util.Map;

/**
 * A fully validated segment. {@code endOffsets} holds, per declared file in declaration order, the offset after its
 * last line. {@code caughtUpMillis} is the writer's caught-up time ({@link SegmentWriter#finish(long)}): every line
 * its tailed files held before that time is in this segment or an earlier one; -1 when the segment does not say
 * (written by {@link SegmentWriter#finish()}, as collectors before it did).
 */
public record Segment(
        SegmentHeader header, List<SegmentEntry> entries, Map<FileRef, Long> endOffsets, long caughtUpMillis) {

    /** A segment that does not state a caught-up time. */
    public Segment(SegmentHeader header, List<SegmentEntry> entries, Map<FileRef, Long> endOffsets) {
        this(header, entries, endOffsets, -1);
    }

    /** Whether the writer stated its caught-up time. */
    public boolean statesCaughtUp() {
        return caughtUpMillis >= 0;
    }
}
