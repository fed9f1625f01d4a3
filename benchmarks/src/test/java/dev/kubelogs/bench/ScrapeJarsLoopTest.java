package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.scrape.ScrapeArm;
import dev.kubelogs.job.metrics.scrape.Scraper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScrapeJarsLoopTest {
    /** Two arms of the same build, each in its own class loader, one with a thread: each bills its own threads. */
    @Test
    void eachArmScrapesEveryTargetInItsTurnsAndIsBilledApart() throws Exception {
        String job = location(Scraper.class);
        String benchmarks = location(ScrapeArm.class);
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            ScrapeJarsLoop.main(
                    new String[] {"2", "2", "1", "2", "1", "0", "scrape", benchmarks, "a=" + job, "b=" + job + "@1"});
        } finally {
            System.setOut(out);
        }
        String report = printed.toString(StandardCharsets.UTF_8);
        long samples = 2L * 2 * ExporterText.SERIES;
        assertThat(report).contains("arm a ", "arm b ", "4 scrapes, " + samples + " samples");
        assertThat(report).doesNotContain(" 0.0 us a scrape,");
    }

    private static String location(Class<?> type) throws Exception {
        return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }
}
