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

    /** The digits of {@code v}, which must be finite and not zero. */
    public static ShortestDecimal of(double v) {
        if (!Double.isFinite(v) || v == 0) {
            throw new IllegalArgumentException("no shortest digits for " + v);
        }
        String java = DoubleToDecimal.toString(v);
        boolean negative = java.charAt(0) == '-';
        int start = negative ? 1 : 0;
        int e = java.indexOf('E');
        int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
        String mantissa = java.substring(start, e < 0 ? java.length() : e);
        int point = mantissa.indexOf('.');
        String digits = mantissa.substring(0, point) + mantissa.substring(point + 1);
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

    private static double read(int digit, int pointExponent) {
        return Double.parseDouble("0." + digit + "E" + pointExponent);
    }
}
