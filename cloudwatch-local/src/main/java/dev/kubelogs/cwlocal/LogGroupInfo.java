package dev.kubelogs.cwlocal;

/**
 * A log group as the endpoint holds it (read API).
 *
 * @param retentionInDays null when events never expire
 * @param storedBytes     sum of the UTF-8 sizes of all stored messages
 */
public record LogGroupInfo(
        String name,
        long creationTime,
        Integer retentionInDays,
        String logGroupClass,
        int streamCount,
        long eventCount,
        long storedBytes) {}
