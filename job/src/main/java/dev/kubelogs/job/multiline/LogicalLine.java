package dev.kubelogs.job.multiline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One complete container log line after runtime pieces were joined: the first piece's record (keys in
 * their order, {@code log} holding the whole text), its time and the offset of its first byte.
 */
public record LogicalLine(ObjectNode record, String log, long timeMillis, long offset) {}
