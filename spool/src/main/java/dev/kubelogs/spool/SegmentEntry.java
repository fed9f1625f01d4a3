package dev.kubelogs.spool;

/** One LINE or POD record of a segment, with the read time in force when it was written. */
public sealed interface SegmentEntry permits LineEntry, PodEntry {
    long readTimeMillis();
}
