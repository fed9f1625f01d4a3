package dev.kubelogs.job.metrics.emf;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;

/**
 * A float64 as Go's {@code encoding/json} writes it (the agent's exporter marshals its fields with it): the
 * shortest decimal that reads back as the same double, in plain notation ({@code 30}, {@code 0.25},
 * {@code 100000000000000000000}) unless the magnitude is under 1e-6 or at least 1e21, then in exponent notation
 * without a leading zero in a negative exponent ({@code 1e+21}, {@code 1.5e-7}); an integer has no ".0", negative
 * zero is {@code -0}. Java's own {@code Double.toString} differs (".0", "E", and on Java 17 not always the shortest).
 */
final class GoFloats {
    private static final double EXACT_LONG_LIMIT = 0x1p53;

    private GoFloats() {}

    /** The text; {@code v} must be finite. */
    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("JSON has no " + v);
        }
        if (isExactLong(v)) {
            return Long.toString((long) v);
        }
        if (v == 0) {
            return "-0";
        }
        return fromShortest(v);
    }

    /** Whether the text of {@code v} is that of {@code (long) v}: an integer below 2^53, not negative zero. */
    static boolean isExactLong(double v) {
        return v == Math.rint(v) && Math.abs(v) < EXACT_LONG_LIMIT && (v != 0 || Double.doubleToRawLongBits(v) == 0);
    }

    private static String fromShortest(double v) {
        String java = DoubleToDecimal.toString(v);
        boolean negative = java.charAt(0) == '-';
        int start = negative ? 1 : 0;
        int e = java.indexOf('E');
        int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
        String mantissa = java.substring(start, e < 0 ? java.length() : e);
        int point = mantissa.indexOf('.');
        String digits = mantissa.substring(0, point) + mantissa.substring(point + 1);
        // value = 0.digits × 10^pointExponent
        int pointExponent = point + exponent;
        int first = 0;
        while (first < digits.length() - 1 && digits.charAt(first) == '0') {
            first++;
            pointExponent--;
        }
        int end = digits.length();
        while (end > first + 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(first, end);
        if (digits.length() == 2) {
            // Java picks the closer of one- and two-digit decimals; Go the shortest that reads back
            int[] one = oneDigit(Math.abs(v), digits, pointExponent);
            if (one != null) {
                digits = Integer.toString(one[0]);
                pointExponent = one[1];
            }
        }
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        double abs = Math.abs(v);
        if (abs < 1e-6 || abs >= 1e21) {
            int x = pointExponent - 1;
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(x < 0 ? '-' : '+');
            int ax = Math.abs(x);
            if (x >= 0 && ax < 10) {
                out.append('0');
            }
            out.append(ax);
        } else if (pointExponent <= 0) {
            out.append("0.");
            for (int i = 0; i < -pointExponent; i++) {
                out.append('0');
            }
            out.append(digits);
        } else if (pointExponent < digits.length()) {
            out.append(digits, 0, pointExponent).append('.').append(digits, pointExponent, digits.length());
        } else {
            out.append(digits);
            for (int i = digits.length(); i < pointExponent; i++) {
                out.append('0');
            }
        }
        return out.toString();
    }

    /**
     * The one-digit decimal next to the two-digit {@code digits} (as {digit, point exponent}) that reads back as
     * {@code abs}, the closer one when both do; null when neither does.
     */
    private static int[] oneDigit(double abs, String digits, int pointExponent) {
        int a = digits.charAt(0) - '0';
        int b = digits.charAt(1) - '0';
        boolean downOk = read(a, pointExponent) == abs;
        int upDigit = a == 9 ? 1 : a + 1;
        int upExponent = a == 9 ? pointExponent + 1 : pointExponent;
        boolean upOk = read(upDigit, upExponent) == abs;
        if (downOk && (!upOk || b < 5)) {
            return new int[] {a, pointExponent};
        }
        return upOk ? new int[] {upDigit, upExponent} : null;
    }

    private static double read(int digit, int pointExponent) {
        return Double.parseDouble("0." + digit + "E" + pointExponent);
    }
}
