package dev.kubelogs.job.metrics.emf;

import dev.kubelogs.job.metrics.model.ShortestDecimal;

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
        ShortestDecimal d = ShortestDecimal.of(v);
        boolean negative = d.negative();
        String digits = d.digits();
        int pointExponent = d.pointExponent();
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
}
