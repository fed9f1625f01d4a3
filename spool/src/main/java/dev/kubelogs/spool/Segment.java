package dev.kubelogs.spool;

import java.util.List;
import java.util.Map;

/** A fully validated segment. {@code endOffsets} holds, per declared file in declaration order, the offset after its last line. */
public record Segment(SegmentHeader header, List<SegmentEntry> entries, Map<FileRef, Long> endOffsets) {}
