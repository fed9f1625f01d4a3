package dev.kubelogs.job.parse;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Runtime timestamps (RFC 3339 with up to nanoseconds) to CloudWatch milliseconds. */
public final class Timestamps {
    private Timestamps() {}

    /** Milliseconds since the epoch, truncated like Fluent Bit's {@code tv_sec*1000 + tv_nsec/1e6}; -1 if unparseable. */
    public static long rfc3339ToMillis(String text) {
        if (text == null || text.isEmpty()) {
            return -1L;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return t.toEpochSecond() * 1000L + t.getNano() / 1_000_000;
        } catch (DateTimeParseException e) {
            return -1L;
        }
    }
}
