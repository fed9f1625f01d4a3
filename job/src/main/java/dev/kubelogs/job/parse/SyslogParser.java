package dev.kubelogs.job.parse;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code syslog} parser of Container Insights' parsers.conf, used for /var/log/messages and
 * /var/log/secure: the {@code time} field is consumed (Time_Keep off), host, ident, pid and message stay.
 */
public final class SyslogParser {
    private SyslogParser() {}

    // parsers.conf, verbatim but for Java's group-name syntax; only \n ends a line, as in Fluent Bit's Onigmo
    private static final Pattern SYSLOG = Pattern.compile(
            "^(?<time>[^ ]* {1,2}[^ ]* [^ ]*) (?<host>[^ ]*) (?<ident>[a-zA-Z0-9_/.\\-]*)(?:\\[(?<pid>[0-9]+)\\])?(?:[^:]*:)? *(?<message>.*)$",
            Pattern.UNIX_LINES);

    private static final Pattern SPACES = Pattern.compile(" +");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ENGLISH);

    /** A parsed syslog line, or null when the line does not match (it is then shipped raw). */
    public static Parsed parse(String line, long readTimeMillis) {
        Matcher m = SYSLOG.matcher(line);
        if (!m.matches()) {
            return null;
        }
        String pid = m.group("pid");
        LineRecord record = pid != null
                ? LineRecord.ofTexts(
                        "host", m.group("host"), "ident", m.group("ident"), "pid", pid, "message", m.group("message"))
                : LineRecord.ofTexts("host", m.group("host"), "ident", m.group("ident"), "message", m.group("message"));
        return new Parsed(record, syslogTimeMillis(m.group("time"), readTimeMillis));
    }

    /**
     * {@code %b %d %H:%M:%S} has no year: take the read time's year, or the year before when that
     * would put the line more than a day in the future (a December line read in January). UTC, like EKS nodes.
     */
    static long syslogTimeMillis(String time, long readTimeMillis) {
        if (readTimeMillis < 0) {
            return parseYearTimes(time, readTimeMillis).millis(readTimeMillis);
        }
        // a file's lines of one second share their time: the last one read is kept (an immutable object, so a
        // thread that sees another thread's is a miss or a hit, never a torn read)
        YearTimes last = lastTime;
        if (last == null || !last.covers(time, readTimeMillis)) {
            last = parseYearTimes(time, readTimeMillis);
            lastTime = last;
        }
        return last.millis(readTimeMillis);
    }

    private static YearTimes lastTime;

    /**
     * {@code time} read in a year and in the year before (each null when it is no date), for the read times of that
     * year ({@code yearStart} to {@code nextYearStart}).
     */
    private record YearTimes(String time, long yearStart, long nextYearStart, Long thisYear, Long yearBefore) {
        boolean covers(String t, long readTimeMillis) {
            return readTimeMillis >= yearStart && readTimeMillis < nextYearStart && time.equals(t);
        }

        /** The read time's year, or the year before when that is more than a day ahead; the read time if no date. */
        long millis(long readTimeMillis) {
            if (thisYear == null) {
                return readTimeMillis;
            }
            if (thisYear > readTimeMillis + 86_400_000L) {
                return yearBefore == null ? readTimeMillis : yearBefore;
            }
            return thisYear;
        }
    }

    private static YearTimes parseYearTimes(String time, long readTimeMillis) {
        String normalized = SPACES.matcher(time).replaceAll(" ");
        int year = LocalDateTime.ofEpochSecond(readTimeMillis / 1000, 0, ZoneOffset.UTC)
                .getYear();
        return new YearTimes(
                time,
                LocalDateTime.of(year, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli(),
                LocalDateTime.of(year + 1, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli(),
                millisIn(normalized, year),
                millisIn(normalized, year - 1));
    }

    private static Long millisIn(String normalizedTime, int year) {
        try {
            return LocalDateTime.parse(normalizedTime + " " + year, TIME)
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public record Parsed(LineRecord record, long timeMillis) {}
}
