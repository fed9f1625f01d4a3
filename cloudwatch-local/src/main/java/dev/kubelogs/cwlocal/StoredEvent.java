package dev.kubelogs.cwlocal;

/** One event as the endpoint stored it (read API). */
public record StoredEvent(long timestamp, long ingestionTime, String message) {}
