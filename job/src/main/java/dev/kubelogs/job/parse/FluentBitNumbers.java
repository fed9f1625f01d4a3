package dev.kubelogs.job.parse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as Fluent Bit writes a record to JSON (flb_pack.c msgpack2json): a double with an integral value that a
 * C {@code long long} holds as {@code printf("%.1f")}, any other double as {@code printf("%.16g")}; an integer
 * as its digits when it fits a 64-bit integer (uint64 for a positive one), else as the double the JSON tokenizer
 * made of it (pack_numeric_token). Jackson would write {@code 1.0E-5}, {@code 1.23456785E7} or
 * {@code 0.30000000000000004} where Fluent Bit writes {@code 1e-05}, {@code 12345678.5} and {@code 0.3}.
 */
public final class FluentBitNumbers {
    private FluentBitNumbers() {}

    private static final double TWO_TO_63 = 9.223372036854775808E18;
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final MathContext SIXTEEN_DIGITS = new MathContext(16, RoundingMode.HALF_EVEN);

    /** The text Fluent Bit writes for a double. */
    public static String write(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            // printf's spelling; JSON has no such numbers, so only a lenient parse can bring one
            return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
        }
        if (d >= -TWO_TO_63 && d < TWO_TO_63 && d == (double) (long) d) {
            if (d == 0) {
                return Double.doubleToRawLongBits(d) < 0 ? "-0.0" : "0.0";
            }
            return new BigDecimal(d).setScale(1, RoundingMode.UNNECESSARY).toPlainString();
        }
        return percentSixteenG(d);
    }

    /**
     * The text Fluent Bit writes for a JSON number token (flb_pack.c pack_numeric_token): with a '.' or an
     * exponent with a sign it is a double (strtod); else the integer that strtoll/strtoull read from its start
     * ({@code 1e5} is 1), a double when it does not fit 64 bits (uint64 for a positive one).
     */
    public static String writeToken(String token) {
        if (isFloat(token)) {
            return write(Double.parseDouble(token));
        }
        boolean negative = token.startsWith("-");
        int end = negative ? 1 : 0;
        while (end < token.length() && token.charAt(end) >= '0' && token.charAt(end) <= '9') {
            end++;
        }
        BigInteger value = new BigInteger(token.substring(0, end));
        boolean fits = negative ? value.compareTo(INT64_MIN) >= 0 : value.compareTo(UINT64_MAX) <= 0;
        return fits ? value.toString() : write(Double.parseDouble(token));
    }

    private static boolean isFloat(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                return true;
            }
            if ((c == 'e' || c == 'E') && i + 1 < token.length()) {
                char sign = token.charAt(i + 1);
                if (sign == '+' || sign == '-') {
                    return true;
                }
            }
        }
        return false;
    }

    /** C's {@code %.16g}: 16 significant digits, trailing zeros removed, exponent form below 1e-4 or from 1e16. */
    static String percentSixteenG(double d) {
        BigDecimal rounded = new BigDecimal(d).round(SIXTEEN_DIGITS);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String digits =
                    stripZeros(mantissa.setScale(15, RoundingMode.UNNECESSARY).toPlainString());
            String e = String.valueOf(Math.abs(exponent));
            return digits + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return stripZeros(rounded.setScale(Math.max(0, 15 - exponent), RoundingMode.UNNECESSARY)
                .toPlainString());
    }

    private static String stripZeros(String fixed) {
        if (fixed.indexOf('.') < 0) {
            return fixed;
        }
        int end = fixed.length();
        while (fixed.charAt(end - 1) == '0') {
            end--;
        }
        if (fixed.charAt(end - 1) == '.') {
            end--;
        }
        return fixed.substring(0, end);
    }
}
