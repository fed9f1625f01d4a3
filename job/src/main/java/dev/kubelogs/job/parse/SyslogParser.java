package dev.kubelogs.job.parse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("host", m.group("host"));
        record.put("ident", m.group("ident"));
        if (m.group("pid") != null) {
            record.put("pid", m.group("pid"));
        }
        record.put("message", m.group("message"));
        return new Parsed(record, syslogTimeMillis(m.group("time"), readTimeMillis));
    }

    /**
     * {@code %b %d %H:%M:%S} has no year: take the read time's year, or the year before when that
     * would put the line more than a day in the future (a December line read in January). UTC, like EKS nodes.
     */
    static long syslogTimeMillis(String time, long readTimeMillis) {
        String normalized = SPACES.matcher(time).replaceAll(" ");
        int year = LocalDateTime.ofEpochSecond(readTimeMillis / 1000, 0, ZoneOffset.UTC)
                .getYear();
        try {
            long millis = LocalDateTime.parse(normalized + " " + year, TIME)
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
            if (millis > readTimeMillis + 86_400_000L) {
                millis = LocalDateTime.parse(normalized + " " + (year - 1), TIME)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            }
            return millis;
        } catch (DateTimeParseException e) {
            return readTimeMillis;
        }
    }

    public record Parsed(ObjectNode record, long timeMillis) {}
}
