package dev.kubelogs.job.multiline;

import dev.kubelogs.job.parse.LineRecord;

/**
 * One complete container log line after runtime pieces were joined: the first piece's record (keys in
 * their order, {@code log} holding the whole text), its time and the offset of its first byte.
 */
public record LogicalLine(LineRecord record, String log, long timeMillis, long offset) {}
