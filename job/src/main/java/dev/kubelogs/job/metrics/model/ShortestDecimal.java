package dev.kubelogs.job.metrics.model;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;

/**
 * A finite, non-zero double as Go's {@code strconv} spells it before it picks a notation: the fewest significant
 * digits that read back as the same double, {@code 0.digits × 10^pointExponent}. Java's shortest (Schubfach) keeps at
 * least two digits where one would do ({@code 4.9E-324}, Go {@code 5e-324}), so a two-digit result is tried as one.
 * Go's JSON writer and Prometheus' label floats both start from these digits.
 *
 * @param negative the sign
 * @param digits the significant digits, no leading or trailing zero
 * @param pointExponent the value is {@code 0.digits × 10^pointExponent}
 */
public record ShortestDecimal(boolean negative, String digits, int pointExponent) {
    /** The powers of ten a double holds exactly. */
    private static final double[] EXACT_POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    /** The digits of {@code v}, which must be finite and not zero. */
    public static ShortestDecimal of(double v) {
        if (!Double.isFinite(v) || v == 0) {
            throw new IllegalArgumentException("no shortest digits for " + v);
        }
        // Java's shortest: [-]digits.digits[E[-]exponent], read in place rather than through substrings
        String java = DoubleToDecimal.toString(v);
        boolean negative = java.charAt(0) == '-';
        int start = negative ? 1 : 0;
        int e = java.indexOf('E');
        int mantissaEnd = e < 0 ? java.length() : e;
        int exponent = e < 0 ? 0 : Integer.parseInt(java, e + 1, java.length(), 10);
        char[] all = new char[mantissaEnd - start];
        int n = 0;
        int point = 0;
        for (int i = start; i < mantissaEnd; i++) {
            char c = java.charAt(i);
            if (c == '.') {
                point = n;
            } else {
                all[n++] = c;
            }
        }
        int pointExponent = point + exponent;
        int first = 0;
        while (first < n - 1 && all[first] == '0') {
            first++;
            pointExponent--;
        }
        int end = n;
        while (end > first + 1 && all[end - 1] == '0') {
            end--;
        }
        String digits = new String(all, first, end - first);
        if (digits.length() == 2) {
            // Java picks the closer of one- and two-digit decimals; Go the shortest that reads back
            int[] one = oneDigit(Math.abs(v), digits, pointExponent);
            if (one != null) {
                digits = Integer.toString(one[0]);
                pointExponent = one[1];
            }
        }
        return new ShortestDecimal(negative, digits, pointExponent);
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

    /**
     * {@code 0.digit × 10^pointExponent} as {@code Double.parseDouble} reads it. Where the power of ten is an exact
     * double (10^0 to 10^22) one multiplication or division of two exact doubles is that same correctly rounded value
     * (Clinger's fast path, which the JDK's own parser takes for such input), without a string to build and parse.
     */
    static double read(int digit, int pointExponent) {
        int exponent = pointExponent - 1;
        if (exponent >= 0 && exponent < EXACT_POWERS_OF_TEN.length) {
            return digit * EXACT_POWERS_OF_TEN[exponent];
        }
        if (exponent < 0 && -exponent < EXACT_POWERS_OF_TEN.length) {
            return digit / EXACT_POWERS_OF_TEN[-exponent];
        }
        return Double.parseDouble("0." + digit + "E" + pointExponent);
    }
}
