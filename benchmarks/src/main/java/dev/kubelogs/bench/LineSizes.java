package dev.kubelogs.bench;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Line-size distribution of generated lines (bytes of the whole line as written, envelope included):
 * {@code fixed:N}, {@code uniform:A-B} or {@code lognormal:MEDIAN,SIGMA}; always clamped to [min, 16000]
 * (Docker and CRI split longer lines into 16 KiB pieces; the harness keeps lines whole).
 */
public final class LineSizes {
    public static final int MAX = 16_000;
    private final String spec;
    private final int kind;
    private final double a;
    private final double b;

    private LineSizes(String spec, int kind, double a, double b) {
        this.spec = spec;
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    public static LineSizes parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("fixed:")) {
                return new LineSizes(spec, 0, Double.parseDouble(s.substring(6)), 0);
            }
            if (s.startsWith("uniform:")) {
                String[] r = s.substring(8).split("-");
                return new LineSizes(spec, 1, Double.parseDouble(r[0]), Double.parseDouble(r[1]));
            }
            if (s.startsWith("lognormal:")) {
                String[] r = s.substring(10).split(",");
                return new LineSizes(spec, 2, Double.parseDouble(r[0]), Double.parseDouble(r[1]));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad line size spec '" + spec + "': " + e.getMessage());
        }
        throw new IllegalArgumentException(
                "line size spec must be fixed:N, uniform:A-B or lognormal:MEDIAN,SIGMA: " + spec);
    }

    /** A target size in bytes. */
    public int next(SplittableRandom r, int min) {
        double v;
        switch (kind) {
            case 0:
                v = a;
                break;
            case 1:
                v = a + r.nextDouble() * (b - a);
                break;
            default:
                v = a * Math.exp(b * gaussian(r));
        }
        return (int) Math.max(min, Math.min(MAX, Math.round(v)));
    }

    /** The mean of the (unclamped) distribution. */
    public double mean() {
        switch (kind) {
            case 0:
                return a;
            case 1:
                return (a + b) / 2;
            default:
                return a * Math.exp(b * b / 2);
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Override
    public String toString() {
        return spec;
    }
}
