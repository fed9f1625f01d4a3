package dev.kubelogs.job.metrics.parse;

import java.nio.charset.StandardCharsets;

/**
 * Sample values and OpenMetrics timestamps as Prometheus reads them (Go's {@code strconv.ParseFloat}, without hex
 * floats and underscores): {@code [+-]} decimal with optional fraction and exponent, {@code Inf}/{@code Infinity}
 * with optional sign and {@code NaN} in any letter case. A finite literal too large for a double is an error, as in
 * Go. Most values are short decimals, which take an exact fast path; the rest go to {@link Double#parseDouble}.
 */
final class Floats {
    private static final double[] POWERS_OF_TEN = new double[23];
    private static final long MAX_EXACT_MANTISSA = 1L << 53;

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private Floats() {}

    /** The value of {@code b[from, to)}; throws {@link NumberFormatException} with a short reason if not a float. */
    static double parse(byte[] b, int from, int to) {
        int i = from;
        boolean negative = false;
        boolean signed = false;
        if (i < to && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            signed = true;
            i++;
        }
        if (i < to && (b[i] | 0x20) == 'i') {
            if (equalsIgnoreCase(b, i, to, "inf") || equalsIgnoreCase(b, i, to, "infinity")) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            throw new NumberFormatException("not a number");
        }
        if (i < to && (b[i] | 0x20) == 'n') {
            if (!signed && equalsIgnoreCase(b, i, to, "nan")) {
                return Double.NaN;
            }
            throw new NumberFormatException("not a number");
        }
        long mantissa = 0;
        boolean exact = true;
        int digits = 0;
        int scale = 0;
        for (; i < to && isDigit(b[i]); i++, digits++) {
            mantissa = mantissa * 10 + (b[i] - '0');
            exact &= mantissa < MAX_EXACT_MANTISSA;
        }
        if (i < to && b[i] == '.') {
            i++;
            for (; i < to && isDigit(b[i]); i++, digits++) {
                mantissa = mantissa * 10 + (b[i] - '0');
                exact &= mantissa < MAX_EXACT_MANTISSA;
                scale--;
            }
        }
        if (digits == 0) {
            throw new NumberFormatException("not a number");
        }
        int exponent = 0;
        if (i < to && (b[i] | 0x20) == 'e') {
            i++;
            boolean negativeExponent = false;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            int expDigits = 0;
            for (; i < to && isDigit(b[i]); i++, expDigits++) {
                exponent = Math.min(exponent * 10 + (b[i] - '0'), 100_000);
            }
            if (expDigits == 0) {
                throw new NumberFormatException("not a number");
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        if (i != to) {
            throw new NumberFormatException("not a number");
        }
        int power = scale + exponent;
        if (exact && power >= -22 && power <= 22) {
            double v = power < 0 ? mantissa / POWERS_OF_TEN[-power] : mantissa * POWERS_OF_TEN[power];
            return negative ? -v : v;
        }
        double v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("value out of range");
        }
        return v;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean equalsIgnoreCase(byte[] b, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if ((b[from + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
