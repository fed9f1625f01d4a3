package dev.kubelogs.cwlocal;

/**
 * A log stream as the endpoint holds it (read API).
 *
 * @param firstEventTimestamp smallest stored event timestamp, null when the stream is empty
 * @param lastEventTimestamp  largest stored event timestamp, null when the stream is empty
 * @param lastIngestionTime   ingestion time of the newest PutLogEvents that stored events, null when none did
 * @param storedBytes         sum of the UTF-8 sizes of the stored messages (the service reports 0 on the wire)
 */
public record LogStreamInfo(
        String logGroupName,
        String name,
        long creationTime,
        long eventCount,
        long storedBytes,
        Long firstEventTimestamp,
        Long lastEventTimestamp,
        Long lastIngestionTime) {}
