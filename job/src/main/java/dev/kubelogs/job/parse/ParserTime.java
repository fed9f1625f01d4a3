package dev.kubelogs.job.parse;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A parser's Time_Format read as Fluent Bit reads it (src/flb_parser.c flb_parser_create and
 * flb_parser_time_lookup, src/flb_strptime.c): a format without a year ({@code %Y}, {@code %y} or {@code %s}) is
 * read with the current UTC year prepended and today's month and day as defaults; {@code %L} (fraction, up to 9
 * digits) splits the format in two; input after the format is ignored; a format without a zone ({@code %z},
 * {@code %Z}, or a literal Z after the seconds) takes Time_Offset (default UTC). Time_Strict is on, so a value the
 * format does not read is an error (the caller drops the field and the record keeps no time of it).
 *
 * <p>The strptime directives read: {@code %Y %y %m %d %e %j %H %k %I %l %p %M %S %s %b %B %h %a %A %z %Z %T %D %R
 * %n %t %%}; any other is an error when the parser is made.
 */
public final class ParserTime implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final String[] MONTHS = {
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december"
    };
    private static final String[] DAYS = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

    /** flb_parser_time_lookup's buffer: a value of 64 characters or more is not read. */
    private static final int MAX_VALUE_LENGTH = 63;

    private final String format;
    private final boolean withYear;
    private final boolean withZone;
    private final String beforeFraction;
    private final String afterFraction;
    private final int offsetSeconds;

    /**
     * @param format Time_Format
     * @param offset Time_Offset ({@code +hhmm}, {@code -hh:mm}, {@code Z}) or null
     */
    public ParserTime(String format, String offset) {
        this.format = format;
        boolean epoch = !format.contains("%Y") && !format.contains("%y") && format.contains("%s");
        this.withYear = format.contains("%Y") || format.contains("%y") || epoch;
        this.withZone =
                format.contains("%z") || format.contains("%Z") || format.contains("%SZ") || format.contains("%S.%LZ");
        String full = withYear ? format : "%Y " + format;
        int fraction = full.indexOf("%L");
        this.beforeFraction = fraction < 0 ? full : full.substring(0, fraction);
        this.afterFraction = fraction < 0 ? null : full.substring(fraction + 2);
        checkDirectives(full.replace("%L", ""));
        this.offsetSeconds = offset == null ? 0 : offsetSeconds(offset);
    }

    /** Time_Offset as flb_parser_tzone_offset reads it; an IllegalArgumentException when it does not. */
    static int offsetSeconds(String offset) {
        if (offset.startsWith("Z")) {
            return 0;
        }
        if (offset.length() < 4 || (offset.charAt(0) != '+' && offset.charAt(0) != '-')) {
            throw new IllegalArgumentException("Time_Offset '" + offset + "' is not +hhmm or -hh:mm");
        }
        int hour = digit(offset, 1) * 10 + digit(offset, 2);
        int minute = offset.length() == 6 && offset.charAt(3) == ':'
                ? digit(offset, 4) * 10 + digit(offset, 5)
                : digit(offset, 3) * 10 + digit(offset, 4 < offset.length() ? 4 : 3);
        if (hour < 0 || hour > 59 || minute < 0 || minute > 59) {
            throw new IllegalArgumentException("Time_Offset '" + offset + "' is not +hhmm or -hh:mm");
        }
        int seconds = hour * 3600 + minute * 60;
        return offset.charAt(0) == '-' ? -seconds : seconds;
    }

    private static int digit(String s, int at) {
        return at < s.length() && Character.isDigit(s.charAt(at)) ? s.charAt(at) - '0' : -100;
    }

    private static void checkDirectives(String format) {
        for (int k = 0; k < format.length(); k++) {
            if (format.charAt(k) != '%') {
                continue;
            }
            char d = k + 1 < format.length() ? format.charAt(k + 1) : 0;
            if ("YymdejHkIlpMSsbBhaAzZTDRnt%".indexOf(d) < 0 || d == 0) {
                throw new IllegalArgumentException("Time_Format directive %" + (d == 0 ? "" : d) + " is not supported");
            }
            k++;
        }
    }

    public String format() {
        return format;
    }

    /**
     * The time of {@code value} in nanoseconds since the epoch as Fluent Bit computes it ({@code tv_sec} from
     * timegm minus the zone's offset, {@code tv_nsec = fraction * 1e9} as a double), or null when the format does
     * not read it.
     *
     * @param nowMillis the time a year-less format takes its year, month and day from
     */
    public Long nanos(String value, long nowMillis) {
        if (value.length() > MAX_VALUE_LENGTH) {
            return null;
        }
        Fields t = new Fields();
        String input = value;
        if (!withYear) {
            if (value.length() + 6 >= MAX_VALUE_LENGTH + 1) {
                return null;
            }
            ZonedDateTime now = java.time.Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC);
            t.month = now.getMonthValue() - 1;
            t.day = now.getDayOfMonth();
            input = now.getYear() + " " + value;
        }
        int at = strptime(input, 0, beforeFraction, t);
        if (at < 0) {
            return null;
        }
        double fraction = 0;
        if (afterFraction != null) {
            int end = at;
            while (end < input.length() && end - at < 9 && Character.isDigit(input.charAt(end))) {
                end++;
            }
            if (end == at) {
                return null;
            }
            fraction = Double.parseDouble("0." + input.substring(at, end));
            if (strptime(input, end, afterFraction, t) < 0) {
                return null;
            }
        }
        long seconds;
        if (t.epochSeconds != null) {
            seconds = t.epochSeconds;
        } else {
            int offset = withZone ? t.offsetSeconds : offsetSeconds;
            seconds = t.timegm() - offset;
        }
        return seconds * 1_000_000_000L + (long) (fraction * 1_000_000_000d);
    }

    /** struct tm as strptime fills it: all zero until read, mday too, as Fluent Bit's {@code flb_tm tm = {0}}. */
    private static final class Fields {
        long year = 1900;
        int month;
        int day;
        int yearDay = -1;
        int hour;
        int minute;
        int second;
        boolean pm;
        boolean twelveHour;
        int offsetSeconds;
        Long epochSeconds;

        long timegm() {
            LocalDate date = yearDay >= 0
                    ? LocalDate.of((int) year, 1, 1).plusDays(yearDay)
                    : LocalDate.of((int) year, 1, 1).plusMonths(month).plusDays(day - 1L);
            int h = twelveHour ? hour % 12 + (pm ? 12 : 0) : hour;
            return date.toEpochDay() * 86_400L + h * 3600L + minute * 60L + second;
        }
    }

    /** Reads {@code format} from {@code in} at {@code at}; the index after what it read, or -1. */
    private static int strptime(String in, int at, String format, Fields t) {
        int p = at;
        for (int k = 0; k < format.length(); k++) {
            char f = format.charAt(k);
            if (Character.isWhitespace(f)) {
                while (p < in.length() && Character.isWhitespace(in.charAt(p))) {
                    p++;
                }
                continue;
            }
            if (f != '%') {
                if (p >= in.length() || in.charAt(p) != f) {
                    return -1;
                }
                p++;
                continue;
            }
            char d = format.charAt(++k);
            long[] n = new long[1];
            switch (d) {
                case '%' -> {
                    if (p >= in.length() || in.charAt(p) != '%') {
                        return -1;
                    }
                    p++;
                }
                case 'n', 't' -> {
                    while (p < in.length() && Character.isWhitespace(in.charAt(p))) {
                        p++;
                    }
                }
                case 'Y' -> {
                    if ((p = number(in, p, 0, 9999, n)) < 0) {
                        return -1;
                    }
                    t.year = n[0];
                }
                case 'y' -> {
                    if ((p = number(in, p, 0, 99, n)) < 0) {
                        return -1;
                    }
                    t.year = n[0] < 69 ? 2000 + n[0] : 1900 + n[0];
                }
                case 'm' -> {
                    if ((p = number(in, p, 1, 12, n)) < 0) {
                        return -1;
                    }
                    t.month = (int) n[0] - 1;
                }
                case 'd', 'e' -> {
                    if ((p = number(in, p, 1, 31, n)) < 0) {
                        return -1;
                    }
                    t.day = (int) n[0];
                }
                case 'j' -> {
                    if ((p = number(in, p, 1, 366, n)) < 0) {
                        return -1;
                    }
                    t.yearDay = (int) n[0] - 1;
                }
                case 'H', 'k' -> {
                    if ((p = number(in, p, 0, 23, n)) < 0) {
                        return -1;
                    }
                    t.hour = (int) n[0];
                }
                case 'I', 'l' -> {
                    if ((p = number(in, p, 1, 12, n)) < 0) {
                        return -1;
                    }
                    t.hour = (int) n[0];
                    t.twelveHour = true;
                }
                case 'p' -> {
                    if (in.regionMatches(true, p, "AM", 0, 2)) {
                        t.pm = false;
                    } else if (in.regionMatches(true, p, "PM", 0, 2)) {
                        t.pm = true;
                    } else {
                        return -1;
                    }
                    t.twelveHour = true;
                    p += 2;
                }
                case 'M' -> {
                    if ((p = number(in, p, 0, 59, n)) < 0) {
                        return -1;
                    }
                    t.minute = (int) n[0];
                }
                case 'S' -> {
                    if ((p = number(in, p, 0, 60, n)) < 0) {
                        return -1;
                    }
                    t.second = (int) n[0];
                }
                case 's' -> {
                    int start = p;
                    if (p < in.length() && in.charAt(p) == '-') {
                        p++;
                    }
                    while (p < in.length() && Character.isDigit(in.charAt(p))) {
                        p++;
                    }
                    if (p == start || (p == start + 1 && in.charAt(start) == '-')) {
                        return -1;
                    }
                    t.epochSeconds = Long.parseLong(in.substring(start, p));
                }
                case 'b', 'B', 'h' -> {
                    int month = name(in, p, MONTHS);
                    if (month < 0) {
                        return -1;
                    }
                    p += nameLength(in, p, MONTHS[month]);
                    t.month = month;
                }
                case 'a', 'A' -> {
                    int day = name(in, p, DAYS);
                    if (day < 0) {
                        return -1;
                    }
                    p += nameLength(in, p, DAYS[day]);
                }
                case 'z' -> {
                    if ((p = zone(in, p, t)) < 0) {
                        return -1;
                    }
                }
                case 'Z' -> {
                    if (in.startsWith("UTC", p) || in.startsWith("GMT", p)) {
                        t.offsetSeconds = 0;
                        p += 3;
                    } else {
                        return -1;
                    }
                }
                case 'T' -> {
                    if ((p = strptime(in, p, "%H:%M:%S", t)) < 0) {
                        return -1;
                    }
                }
                case 'D' -> {
                    if ((p = strptime(in, p, "%m/%d/%y", t)) < 0) {
                        return -1;
                    }
                }
                case 'R' -> {
                    if ((p = strptime(in, p, "%H:%M", t)) < 0) {
                        return -1;
                    }
                }
                default -> {
                    return -1;
                }
            }
        }
        return p;
    }

    /**
     * strptime's _conv_num: at least one digit, then more while the value stays within {@code high}'s width; the
     * value must lie in [low, high].
     */
    private static int number(String in, int p, long low, long high, long[] out) {
        if (p >= in.length() || !Character.isDigit(in.charAt(p))) {
            return -1;
        }
        long result = 0;
        long limit = high;
        do {
            result = result * 10 + (in.charAt(p++) - '0');
            limit /= 10;
        } while (result * 10 <= high && limit > 0 && p < in.length() && Character.isDigit(in.charAt(p)));
        if (result < low || result > high) {
            return -1;
        }
        out[0] = result;
        return p;
    }

    /** The index of the full or three-letter name at {@code p} (case ignored), or -1. */
    private static int name(String in, int p, String[] names) {
        for (int k = 0; k < names.length; k++) {
            if (in.regionMatches(true, p, names[k], 0, names[k].length())
                    || in.regionMatches(true, p, names[k], 0, 3)) {
                return k;
            }
        }
        return -1;
    }

    private static int nameLength(String in, int p, String name) {
        return in.regionMatches(true, p, name, 0, name.length()) ? name.length() : 3;
    }

    /** {@code %z}: Z, or a sign, two hour digits and optionally two minute digits, with or without a colon. */
    private static int zone(String in, int p, Fields t) {
        if (p < in.length() && (in.charAt(p) == 'Z' || in.charAt(p) == 'z')) {
            t.offsetSeconds = 0;
            return p + 1;
        }
        if (p >= in.length() || (in.charAt(p) != '+' && in.charAt(p) != '-')) {
            return -1;
        }
        boolean negative = in.charAt(p) == '-';
        p++;
        if (p + 2 > in.length() || !Character.isDigit(in.charAt(p)) || !Character.isDigit(in.charAt(p + 1))) {
            return -1;
        }
        int hours = (in.charAt(p) - '0') * 10 + (in.charAt(p + 1) - '0');
        p += 2;
        int minutes = 0;
        int q = p < in.length() && in.charAt(p) == ':' ? p + 1 : p;
        if (q + 2 <= in.length() && Character.isDigit(in.charAt(q)) && Character.isDigit(in.charAt(q + 1))) {
            minutes = (in.charAt(q) - '0') * 10 + (in.charAt(q + 1) - '0');
            p = q + 2;
        }
        if (hours > 12 || minutes > 59) {
            return -1;
        }
        t.offsetSeconds = (negative ? -1 : 1) * (hours * 3600 + minutes * 60);
        return p;
    }
}
