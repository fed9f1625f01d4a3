package dev.kubelogs.job.parse;

import java.time.DateTimeException;
import java.time.LocalDate;
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
        long fast = runtimeFormToMillis(text);
        if (fast != NOT_RUNTIME_FORM) {
            return fast;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return t.toEpochSecond() * 1000L + t.getNano() / 1_000_000;
        } catch (DateTimeParseException e) {
            return -1L;
        }
    }

    /**
     * A Docker json-file time as Fluent Bit's docker parser reads it: its format {@code %Y-%m-%dT%H:%M:%S.%L} has no
     * {@code %z} (src/multiline/flb_ml_parser_docker.c), so whatever follows the fraction (at most 9 digits,
     * src/flb_parser.c parse_subseconds) is not read and the time is taken as UTC (flb_parser_time_lookup sets the
     * parser's offset, 0, when the format has no zone). {@code 2024-05-01T12:00:00.5+02:00} is 12:00:00.5 UTC, not
     * 10:00. Docker itself always writes UTC with {@code Z}; -1 if unparseable.
     */
    public static long zoneIgnoredToMillis(String text) {
        if (text == null || text.isEmpty() || text.charAt(text.length() - 1) == 'Z') {
            return rfc3339ToMillis(text);
        }
        int end = 19;
        if (text.length() < end) {
            return -1L;
        }
        if (text.length() > end && text.charAt(end) == '.') {
            int start = ++end;
            while (end < text.length() && end - start < 9 && isDigit(text.charAt(end))) {
                end++;
            }
        }
        return rfc3339ToMillis(text.substring(0, end) + "Z");
    }

    private static final long NOT_RUNTIME_FORM = Long.MIN_VALUE;

    /**
     * The form every container runtime writes, {@code 2024-05-01T10:00:00.123456789Z} (fraction optional, {@code Z} or
     * {@code ±hh:mm}), read digit by digit: the general parser costs about a microsecond per line, most of the
     * keyed stage's parse time. Anything else — other shapes, out-of-range fields — is left to the general parser,
     * so both always agree.
     */
    static long runtimeFormToMillis(String t) {
        int n = t.length();
        if (n < 20
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return NOT_RUNTIME_FORM;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return NOT_RUNTIME_FORM;
        }
        int i = 19;
        int millis = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(t.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (t.charAt(i) - '0');
                }
                i++;
            }
            int fractionDigits = i - start;
            if (fractionDigits == 0) {
                return NOT_RUNTIME_FORM;
            }
            for (int d = fractionDigits; d < 3; d++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59) {
                return NOT_RUNTIME_FORM;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (t.charAt(i) == '-' ? -1 : 1);
            if (Math.abs(offsetSeconds) > 18 * 3600) {
                return NOT_RUNTIME_FORM;
            }
        } else {
            return NOT_RUNTIME_FORM;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return NOT_RUNTIME_FORM;
        }
        long epochSecond = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return epochSecond * 1000L + millis;
    }

    /** The non-negative number of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
