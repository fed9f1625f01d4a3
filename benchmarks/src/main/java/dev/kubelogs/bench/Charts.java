package dev.kubelogs.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small hand-written Java2D line-chart renderer (no chart library): title, axes with round ticks, grid, several
 * series with markers and a legend. Enough for throughput-vs-rate, latency-over-time and RSS-over-time plots.
 */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
    };

    /** One line: name, points, drawn dashed if {@code dashed}, with markers if {@code markers}. */
    public record Series(String name, double[] x, double[] y, boolean dashed, boolean markers) {
        public static Series line(String name, double[] x, double[] y) {
            return new Series(name, x, y, false, false);
        }

        public static Series points(String name, double[] x, double[] y) {
            return new Series(name, x, y, false, true);
        }

        public static Series dashed(String name, double[] x, double[] y) {
            return new Series(name, x, y, true, false);
        }
    }

    /** A vertical line with a label, see {@link Chart#marker}. */
    record Marker(double x, String label) {}

    /** A chart description; render with {@link #write(Path)}. */
    public static final class Chart {
        final String title;
        final String xLabel;
        final String yLabel;
        final List<Series> series = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<Marker> markers = new ArrayList<>();
        Double yMin = 0.0;
        Double xMin;
        int width = 900;
        int height = 500;

        public Chart(String title, String xLabel, String yLabel) {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        public Chart add(Series s) {
            if (s.x().length > 0) {
                series.add(s);
            }
            return this;
        }

        /** A line of small text under the title (conditions of the run). */
        public Chart note(String text) {
            // wrap at ~120 characters so it fits the width
            String rest = text;
            while (rest.length() > 120) {
                int cut = rest.lastIndexOf(' ', 120);
                if (cut <= 0) {
                    cut = 120;
                }
                notes.add(rest.substring(0, cut));
                rest = rest.substring(cut).trim();
            }
            notes.add(rest);
            return this;
        }

        /** A vertical dotted line at {@code x} with a short label at its top (an event, such as a fault). */
        public Chart marker(double x, String label) {
            markers.add(new Marker(x, label));
            return this;
        }

        public Chart xFromZero() {
            xMin = 0.0;
            return this;
        }

        public void write(Path file) throws IOException {
            ImageIO.write(render(), "png", file.toFile());
        }

        BufferedImage render() {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);

            double x0 = Double.POSITIVE_INFINITY;
            double x1 = Double.NEGATIVE_INFINITY;
            double y0 = Double.POSITIVE_INFINITY;
            double y1 = Double.NEGATIVE_INFINITY;
            for (Series s : series) {
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                        x0 = Math.min(x0, s.x()[i]);
                        x1 = Math.max(x1, s.x()[i]);
                        y0 = Math.min(y0, s.y()[i]);
                        y1 = Math.max(y1, s.y()[i]);
                    }
                }
            }
            if (!Double.isFinite(x0)) {
                x0 = 0;
                x1 = 1;
                y0 = 0;
                y1 = 1;
            }
            if (xMin != null) {
                x0 = Math.min(x0, xMin);
            }
            if (yMin != null) {
                y0 = Math.min(y0, yMin);
            }
            double[] xt = ticks(x0, x1);
            double[] yt = ticks(y0, y1 == y0 ? y0 + 1 : y1 * 1.05);
            x0 = xt[0];
            x1 = xt[xt.length - 1];
            y0 = yt[0];
            y1 = yt[yt.length - 1];

            int top = 50 + 16 * notes.size();
            int left = 90;
            int right = width - 30;
            int rows = 1;
            int lxDry = left;
            for (Series sr : series) {
                int w = 30 + textWidth(g, sr.name(), 12) + 24;
                if (lxDry + w > right && lxDry > left) {
                    lxDry = left;
                    rows++;
                }
                lxDry += w;
            }
            int bottom = height - 48 - 18 * rows;
            int pw = right - left;
            int ph = bottom - top;

            text(g, title, left, 24, 17, Font.BOLD, Color.BLACK);
            for (int i = 0; i < notes.size(); i++) {
                text(g, notes.get(i), left, 42 + 16 * i, 12, Font.PLAIN, Color.DARK_GRAY);
            }
            // grid and ticks
            g.setStroke(new BasicStroke(1f));
            for (double v : yt) {
                int py = bottom - (int) Math.round((v - y0) / (y1 - y0) * ph);
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(left, py, right, py);
                String label = fmt(v);
                textRight(g, label, left - 6, py + 4, 12, Color.DARK_GRAY);
            }
            for (double v : xt) {
                int px = left + (int) Math.round((v - x0) / (x1 - x0) * pw);
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(px, top, px, bottom);
                textCenter(g, fmt(v), px, bottom + 16, 12, Color.DARK_GRAY);
            }
            g.setColor(Color.BLACK);
            g.drawRect(left, top, pw, ph);
            textCenter(g, xLabel, left + pw / 2, bottom + 34, 13, Color.BLACK);
            // vertical y label
            Graphics2D gy = (Graphics2D) g.create();
            gy.rotate(-Math.PI / 2);
            textCenter(gy, yLabel, -(top + ph / 2), 22, 13, Color.BLACK);
            gy.dispose();

            // markers, labels staggered over four rows so that close ones stay readable
            for (int mi = 0; mi < markers.size(); mi++) {
                Marker m = markers.get(mi);
                if (m.x() < x0 || m.x() > x1) {
                    continue;
                }
                int px = left + (int) Math.round((m.x() - x0) / (x1 - x0) * pw);
                g.setColor(new Color(0x999999));
                g.setStroke(new BasicStroke(
                        1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 3f}, 0f));
                g.drawLine(px, top, px, bottom);
                text(g, m.label(), px + 2, top + 11 + 11 * (mi % 4), 10, Font.PLAIN, new Color(0x555555));
            }
            // series
            for (int si = 0; si < series.size(); si++) {
                Series s = series.get(si);
                Color c = PALETTE[si % PALETTE.length];
                g.setColor(c);
                g.setStroke(
                        s.dashed()
                                ? new BasicStroke(
                                        1.6f,
                                        BasicStroke.CAP_BUTT,
                                        BasicStroke.JOIN_ROUND,
                                        1f,
                                        new float[] {6f, 5f},
                                        0f)
                                : new BasicStroke(2f));
                Path2D path = new Path2D.Double();
                boolean started = false;
                for (int i = 0; i < s.x().length; i++) {
                    if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                        started = false;
                        continue;
                    }
                    double px = left + (s.x()[i] - x0) / (x1 - x0) * pw;
                    double py = bottom - (s.y()[i] - y0) / (y1 - y0) * ph;
                    if (!started) {
                        path.moveTo(px, py);
                        started = true;
                    } else {
                        path.lineTo(px, py);
                    }
                    if (s.markers()) {
                        g.fillOval((int) px - 4, (int) py - 4, 8, 8);
                    }
                }
                g.draw(path);
            }
            // legend: entries laid out left to right by their text width, wrapping into rows under the plot
            int lx = left;
            int ly = bottom + 52;
            for (int si = 0; si < series.size(); si++) {
                Series s = series.get(si);
                int w = 30 + textWidth(g, s.name(), 12) + 24;
                if (lx + w > right && lx > left) {
                    lx = left;
                    ly += 18;
                }
                g.setColor(PALETTE[si % PALETTE.length]);
                g.setStroke(new BasicStroke(3f));
                g.drawLine(lx, ly - 4, lx + 24, ly - 4);
                text(g, s.name(), lx + 30, ly, 12, Font.PLAIN, Color.BLACK);
                lx += w;
            }
            g.dispose();
            return img;
        }
    }

    /** Round tick values covering [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        if (hi <= lo) {
            hi = lo + 1;
        }
        double raw = (hi - lo) / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i * step;
        }
        return t;
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 1_000_000) {
            return trim(String.format(Locale.ROOT, "%.2f", v / 1_000_000)) + "M";
        }
        if (a >= 10_000) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1000)) + "k";
        }
        if (a >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return trim(String.format(Locale.ROOT, "%.2f", v));
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    // Text needs fonts; a JDK without any (a bare container) still gets the lines, just no labels.
    private static void text(Graphics2D g, String s, int x, int y, int size, int style, Color c) {
        try {
            g.setColor(c);
            g.setFont(new Font(Font.SANS_SERIF, style, size));
            g.drawString(s, x, y);
        } catch (Throwable noFonts) {
            // no labels
        }
    }

    private static int textWidth(Graphics2D g, String s, int size) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            return g.getFontMetrics().stringWidth(s);
        } catch (Throwable noFonts) {
            return 7 * s.length();
        }
    }

    private static void textRight(Graphics2D g, String s, int x, int y, int size, Color c) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            FontMetrics fm = g.getFontMetrics();
            text(g, s, x - fm.stringWidth(s), y, size, Font.PLAIN, c);
        } catch (Throwable noFonts) {
            // no labels
        }
    }

    private static void textCenter(Graphics2D g, String s, int x, int y, int size, Color c) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            FontMetrics fm = g.getFontMetrics();
            text(g, s, x - fm.stringWidth(s) / 2, y, size, Font.PLAIN, c);
        } catch (Throwable noFonts) {
            // no labels
        }
    }
}
