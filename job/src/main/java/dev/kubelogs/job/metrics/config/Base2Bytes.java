package dev.kubelogs.job.metrics.config;

import java.util.Map;

/**
 * A size as Prometheus reads {@code body_size_limit} ({@code units.ParseBase2Bytes} of alecthomas/units): an optional
 * sign, then number-unit pairs whose numbers may have a fraction ({@code 1.5MB}), all with the IEC units
 * ({@code B KiB MiB GiB TiB PiB EiB}) or all with the older ones ({@code B KB MB GB TB PB EB}), each unit a power of
 * 1024; {@code 0} alone needs no unit. The sum is truncated to whole bytes.
 */
final class Base2Bytes {
    private static final Map<String, Double> IEC = units("iB");
    private static final Map<String, Double> OLD = units("B");
    private static final double MAX = 0x1p63;

    private Base2Bytes() {}

    /** The size of {@code s}; throws {@link IllegalArgumentException} with the library's message if it is none. */
    static long parse(String s) {
        try {
            return parse(s, IEC);
        } catch (IllegalArgumentException e) {
            return parse(s, OLD);
        }
    }

    private static long parse(String orig, Map<String, Double> unitMap) {
        String s = orig;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("units: invalid " + orig);
        }
        double total = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '.' && !isDigit(c)) {
                throw new IllegalArgumentException("units: invalid " + orig);
            }
            int start = i;
            long whole = 0;
            for (; i < s.length() && isDigit(s.charAt(i)); i++) {
                whole = leadingDigit(whole, s.charAt(i), orig);
            }
            boolean digitsBefore = i > start;
            double value = whole;
            boolean digitsAfter = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                long fraction = 0;
                double scale = 1;
                for (; i < s.length() && isDigit(s.charAt(i)); i++) {
                    fraction = leadingDigit(fraction, s.charAt(i), orig);
                    scale *= 10;
                }
                value += fraction / scale;
                digitsAfter = i > fractionStart;
            }
            if (!digitsBefore && !digitsAfter) {
                throw new IllegalArgumentException("units: invalid " + orig);
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            Double multiplier = unitMap.get(unit);
            if (multiplier == null) {
                throw new IllegalArgumentException("units: unknown unit " + unit + " in " + orig);
            }
            total += value * multiplier;
        }
        if (negative) {
            total = -total;
        }
        if (total < -MAX || total > MAX - 1) {
            throw new IllegalArgumentException("units: overflow parsing unit");
        }
        return (long) total;
    }

    /** Go's {@code leadingInt}: refuses a number that would come near the int64 range. */
    private static long leadingDigit(long x, char digit, String orig) {
        if (x >= (Long.MAX_VALUE - 10) / 10) {
            throw new IllegalArgumentException("units: bad [0-9]* in " + orig);
        }
        return x * 10 + (digit - '0');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** alecthomas/units {@code MakeUnitMap(suffix, "B", 1024)}. */
    private static Map<String, Double> units(String suffix) {
        return Map.of(
                "B",
                1.0,
                "K" + suffix,
                0x1p10,
                "M" + suffix,
                0x1p20,
                "G" + suffix,
                0x1p30,
                "T" + suffix,
                0x1p40,
                "P" + suffix,
                0x1p50,
                "E" + suffix,
                0x1p60);
    }
}
