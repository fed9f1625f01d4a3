package dev.kubelogs.job.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * One Fluent Bit [PARSER] of format regex or json, applied to a log as the kubernetes filter applies the parser a
 * pod's annotation names (flb_parser_do from merge_log_handler).
 *
 * <p><b>regex</b> (src/flb_parser_regex.c): the first match anywhere in the log; every named group becomes a string
 * field in the group order, an empty one left out while Skip_Empty_Values is on (the default); Types turns the named
 * fields into integer, float, hex or bool. The Time_Key field (default {@code time}) is read with Time_Format when
 * there is one: read, it gives the record's time and is left out unless Time_Keep is on; not read, it is left out
 * either way (cb_results skips it with a warning).
 *
 * <p><b>json</b> (src/flb_parser_json.c): the log must be exactly one JSON object; its fields stay as they are
 * (Types does not apply). A string Time_Key field read by Time_Format gives the time and is removed unless
 * Time_Keep is on; one not read stays (v4.1.1; v1.9.10 removed it too).
 */
public final class LogParser implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Format {
        REGEX,
        JSON
    }

    /** A Types entry's kind (flb_parser.c proc_types_str; an unknown kind is string). */
    public enum FieldType {
        STRING,
        INTEGER,
        FLOAT,
        HEX,
        BOOL
    }

    private final String name;
    private final Format format;
    private final OnigmoPattern regex;
    private final ParserTime time;
    private final String timeKey;
    private final boolean timeKeep;
    private final boolean skipEmptyValues;
    private final Map<String, FieldType> types;

    public LogParser(
            String name,
            Format format,
            OnigmoPattern regex,
            ParserTime time,
            String timeKey,
            boolean timeKeep,
            boolean skipEmptyValues,
            Map<String, FieldType> types) {
        this.name = name;
        this.format = format;
        this.regex = regex;
        this.time = time;
        this.timeKey = timeKey == null ? "time" : timeKey;
        this.timeKeep = timeKeep;
        this.skipEmptyValues = skipEmptyValues;
        this.types = Map.copyOf(types);
        if (format == Format.REGEX && regex == null) {
            throw new IllegalArgumentException("parser " + name + ": format regex needs a Regex");
        }
    }

    public String name() {
        return name;
    }

    /**
     * What a parse gives: the fields, and the record's new time in nanoseconds, or 0 when the log gave none (Fluent
     * Bit's zero flb_time).
     */
    public record Parsed(ObjectNode fields, long timeNanos) {}

    /**
     * The log parsed, or null when the parser does not accept it (no match, not one JSON object).
     *
     * @param nowMillis the time a Time_Format without a year takes its year, month and day from
     * @throws ParserBudgetExceededException when the regex gave up on the log (a catastrophic pattern)
     */
    public Parsed parse(String log, long nowMillis) {
        return format == Format.REGEX ? parseRegex(log, nowMillis) : parseJson(log, nowMillis);
    }

    private Parsed parseRegex(String log, long nowMillis) {
        List<String> values;
        try {
            values = regex.search(new BoundedCharSequence(log, BoundedCharSequence.budgetFor(log.length())));
        } catch (BoundedCharSequence.Exhausted e) {
            throw new ParserBudgetExceededException(name, regex.source(), log.length());
        }
        if (values == null) {
            return null;
        }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        long timeNanos = 0;
        List<String> names = regex.names();
        for (int k = 0; k < names.size(); k++) {
            String key = names.get(k);
            String value = values.get(k);
            if (value.isEmpty() && skipEmptyValues) {
                continue;
            }
            if (time != null && key.equals(timeKey)) {
                Long nanos = time.nanos(value, nowMillis);
                if (nanos == null) {
                    // "invalid time format": the field is skipped, the record keeps no time of it
                    continue;
                }
                timeNanos = nanos;
                if (!timeKeep) {
                    continue;
                }
            }
            put(fields, key, value);
        }
        return new Parsed(fields, timeNanos);
    }

    private Parsed parseJson(String log, long nowMillis) {
        JsonNode parsed;
        try {
            parsed = FluentBitJsonReader.read(log);
        } catch (IOException e) {
            return null;
        }
        if (!(parsed instanceof ObjectNode)) {
            return null;
        }
        ObjectNode fields = (ObjectNode) parsed;
        long timeNanos = 0;
        JsonNode t = time == null ? null : fields.get(timeKey);
        if (t != null && t.isTextual()) {
            Long nanos = time.nanos(t.textValue(), nowMillis);
            if (nanos != null) {
                timeNanos = nanos;
                if (!timeKeep) {
                    fields.remove(timeKey);
                }
            }
        }
        return new Parsed(fields, timeNanos);
    }

    /** A regex field as flb_parser_typecast packs it: the first Types entry of its name decides. */
    private void put(ObjectNode fields, String key, String value) {
        FieldType type = types.get(key);
        if (type == null) {
            fields.put(key, value);
            return;
        }
        switch (type) {
            case INTEGER -> fields.put(key, atoll(value));
            case FLOAT -> fields.putRawValue(key, new RawValue(FluentBitNumbers.write(atof(value))));
            case HEX -> fields.put(key, strtoull16(value));
            case BOOL -> {
                if (value.length() >= 4 && value.regionMatches(true, 0, "true", 0, 4)) {
                    fields.put(key, true);
                } else if (value.length() >= 5 && value.regionMatches(true, 0, "false", 0, 5)) {
                    fields.put(key, false);
                } else {
                    // "cast error. save as string."
                    fields.put(key, value);
                }
            }
            default -> fields.put(key, value);
        }
    }

    /** C's atoll: leading blanks, a sign, digits until the first non-digit; 0 when none; clamped on overflow. */
    static long atoll(String s) {
        int i = skipBlanks(s);
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        for (; i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128; i++) {
            int d = s.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - d) / 10) {
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /** C's atof (strtod): the longest decimal number at the start after blanks; 0 when none. */
    static double atof(String s) {
        int i = skipBlanks(s);
        java.util.regex.Matcher m = DECIMAL.matcher(s).region(i, s.length());
        if (!m.lookingAt()) {
            return 0;
        }
        String number = m.group();
        String lower = number.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith("inf") || lower.endsWith("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.endsWith("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(number);
    }

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile(
            "[+-]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|(?i:infinity|inf|nan))");

    /** C's strtoull(s, NULL, 16): an optional 0x, hex digits; an unsigned 64-bit value, ULLONG_MAX on overflow. */
    static BigInteger strtoull16(String s) {
        int i = skipBlanks(s);
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            if (i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
                i += 2;
            }
        }
        BigInteger value = BigInteger.ZERO;
        BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (; i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128; i++) {
            value = value.shiftLeft(4).add(BigInteger.valueOf(Character.digit(s.charAt(i), 16)));
            if (value.compareTo(max) > 0) {
                return max;
            }
        }
        // a minus sign negates in unsigned arithmetic
        return negative && value.signum() > 0 ? BigInteger.ONE.shiftLeft(64).subtract(value) : value;
    }

    private static int skipBlanks(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        return i;
    }
}
