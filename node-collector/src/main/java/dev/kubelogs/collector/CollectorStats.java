package dev.kubelogs.collector;

/** A snapshot of a collector's counters. */
public record CollectorStats(long linesRead, long bytesRead, long segmentsWritten, long filesTracked, long errors) {}
