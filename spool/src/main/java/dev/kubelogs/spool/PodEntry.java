package dev.kubelogs.spool;

/** A pod metadata record: UTF-8 JSON as described in the node collector's documentation. */
public record PodEntry(byte[] json, long readTimeMillis) implements SegmentEntry {}
