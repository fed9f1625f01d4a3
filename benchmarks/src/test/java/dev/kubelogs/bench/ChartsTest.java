package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    private static final int FIRST_SERIES = 0x1f77b4;
    private static final int SECOND_SERIES = 0xd62728;

    private static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void aChartIsWrittenAsAPngWithEachSeriesInItsColour(@TempDir Path tmp) throws Exception {
        double[] x = {0, 1, 2, 3, 4};
        new Charts.Chart("Throughput", "seconds", "lines/s")
                .note("a note")
                .add(Charts.Series.line("written", x, new double[] {0, 10, 20, 30, 40}))
                .add(Charts.Series.points("read", x, new double[] {0, 5, 15, 25, 35}))
                .marker(2, "fault")
                .xFromZero()
                .write(tmp.resolve("c.png"));

        BufferedImage img = ImageIO.read(tmp.resolve("c.png").toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(500);
        assertThat(pixels(img, FIRST_SERIES)).isGreaterThan(100);
        assertThat(pixels(img, SECOND_SERIES)).isGreaterThan(20);
    }

    @Test
    void aChartWithoutSeriesHasNoSeriesColour() {
        BufferedImage img = new Charts.Chart("empty", "x", "y").render();

        assertThat(pixels(img, FIRST_SERIES)).isZero();
    }

    @Test
    void gapsInASeriesAreSkipped() {
        BufferedImage img = new Charts.Chart("gaps", "x", "y")
                .add(Charts.Series.line("nan", new double[] {0, 1, 2}, new double[] {Double.NaN, 1, Double.NaN}))
                .render();

        assertThat(img.getWidth()).isEqualTo(900);
    }

    @Test
    void tickLabelsAreShort() {
        assertThat(Charts.fmt(0.25)).isEqualTo("0.25");
        assertThat(Charts.fmt(3)).isEqualTo("3");
        assertThat(Charts.fmt(250)).isEqualTo("250");
        assertThat(Charts.fmt(12_000)).isEqualTo("12k");
        assertThat(Charts.fmt(2_500_000)).isEqualTo("2.5M");
        double[] ticks = Charts.ticks(0, 1);
        assertThat(ticks).startsWith(0.0);
        assertThat(ticks[ticks.length - 1]).isGreaterThanOrEqualTo(1.0);
    }
}
