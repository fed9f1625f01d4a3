package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.ShortestDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Prometheus 3's spelling of a float in a label value ({@code formatOpenMetricsFloat} in {@code model/textparse}):
 * Go's shortest {@code %g} ({@code 0.005}, {@code 1e+06}, {@code 2.5e-05}) with {@code .0} added to an integer
 * ({@code 10.0}), {@code +Inf}, {@code -Inf}, {@code NaN}. Prometheus 3's text and OpenMetrics parsers respell the
 * {@code le} of a histogram's and the {@code quantile} of a summary's samples this way as they read them, so
 * {@code quantile="0"} is scraped as {@code quantile="0.0"}.
 */
final class OpenMetricsFloat {
    /** Go's shortest {@code %g} writes an exponent from 10^6 up (and below 10^-4). */
    private static final int EXPONENT_FROM = 6;

    private static final int EXPONENT_BELOW = -4;

    private OpenMetricsFloat() {}

    /** The value respelled, or as it is when it is not a float ({@code strconv.ParseFloat} fails). */
    static String normalize(String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        double f;
        try {
            f = Floats.parse(b, 0, b.length);
        } catch (NumberFormatException e) {
            return value;
        }
        return format(f);
    }

    static String format(double f) {
        if (f == 1) {
            return "1.0";
        } else if (f == 0) {
            return "0.0";
        } else if (f == -1) {
            return "-1.0";
        } else if (Double.isNaN(f)) {
            return "NaN";
        } else if (f == Double.POSITIVE_INFINITY) {
            return "+Inf";
        } else if (f == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        String g = shortestG(f);
        return g.indexOf('e') >= 0 || g.indexOf('.') >= 0 ? g : g + ".0";
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} for a finite, non-zero {@code f}. */
    private static String shortestG(double f) {
        ShortestDecimal d = ShortestDecimal.of(f);
        String digits = d.digits();
        int nd = digits.length();
        // the value is 0.<digits> * 10^dp
        int dp = d.pointExponent();
        int exp = dp - 1;
        StringBuilder b = new StringBuilder(nd + 8);
        if (f < 0) {
            b.append('-');
        }
        if (exp < EXPONENT_BELOW || exp >= EXPONENT_FROM) {
            b.append(digits.charAt(0));
            if (nd > 1) {
                b.append('.').append(digits, 1, nd);
            }
            b.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) {
                b.append('0');
            }
            return b.append(e).toString();
        }
        if (dp > 0) {
            for (int i = 0; i < dp; i++) {
                b.append(i < nd ? digits.charAt(i) : '0');
            }
        } else {
            b.append('0');
        }
        int fraction = Math.max(nd - dp, 0);
        if (fraction > 0) {
            b.append('.');
            for (int i = 0; i < fraction; i++) {
                int j = dp + i;
                b.append(j >= 0 && j < nd ? digits.charAt(j) : '0');
            }
        }
        return b.toString();
    }
}
