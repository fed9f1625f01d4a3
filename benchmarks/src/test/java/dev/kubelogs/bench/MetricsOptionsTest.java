package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MetricsOptionsTest {
    private static final long EIGHT_GIB = 8L << 30;

    private static MetricsOptions parse(String... args) {
        BenchMain main = new BenchMain();
        new CommandLine(main).parseArgs(args);
        return main.metrics;
    }

    @Test
    void theRateIsEveryGroupOfEveryScrape() {
        MetricsOptions m = parse("--metrics-targets", "100", "--metrics-interval", "2s");

        assertThat(m.metricsInterval).isEqualTo(Duration.ofSeconds(2));
        assertThat(m.eventsPerSecond()).isEqualTo(50.0 * (ExporterText.GAUGE_GROUPS + ExporterText.PRIMING_GROUPS));
    }

    @Test
    void aClusterRunKeepsTwoMinutesOfEventsAndEightBytesAnEventTwice() {
        // 20 minutes at 50,000 samples/s offered
        parse(
                        "--metrics-targets",
                        "100",
                        "--metrics-interval",
                        "2s",
                        "--metrics-warmup-scrapes",
                        "150",
                        "--metrics-scrapes",
                        "450")
                .checkHeap(true, EIGHT_GIB);

        // 10,000 scrapes per target (5.6 hours): the ledger's hashes do not fit next to the endpoint's two minutes
        assertThatThrownBy(() -> parse(
                                "--metrics-targets",
                                "100",
                                "--metrics-interval",
                                "2s",
                                "--metrics-warmup-scrapes",
                                "150",
                                "--metrics-scrapes",
                                "9850")
                        .checkHeap(true, EIGHT_GIB))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("100 targets × 10000 scrapes every PT2S need ~")
                .hasMessageContaining("the endpoint keeps 120 s of events, ~" + MetricsOptions.ENDPOINT_BYTES_PER_EVENT
                        + " bytes each")
                .hasMessageContaining("the heap (8,192 MiB, 80 % usable) holds "
                        + String.format(java.util.Locale.ROOT, "%,d", mostScrapes(100, 2, EIGHT_GIB))
                        + " scrapes per target");
    }

    @Test
    void aMiniClusterRunIsBoundByTheEndpointProcessHeap() {
        // the default run fits
        parse().checkHeap(false, EIGHT_GIB);

        assertThatThrownBy(() -> parse("--metrics-targets", "100", "--metrics-scrapes", "10000")
                        .checkHeap(false, EIGHT_GIB))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("a MiniCluster run reads back all of one run's events")
                .hasMessageContaining("the heap (4,096 MiB, 80 % usable)");
    }

    /** The most scrapes per target a cluster run can keep: two minutes kept, then the ledger's bytes a scrape. */
    private static long mostScrapes(int targets, int intervalSeconds, long heap) {
        long usable = heap / 10 * 8;
        long perScrape = ExporterText.GAUGE_GROUPS + ExporterText.PRIMING_GROUPS;
        double kept = (double) targets / intervalSeconds * perScrape * 120 * MetricsOptions.ENDPOINT_BYTES_PER_EVENT;
        return (long) ((usable - kept) / (targets * perScrape * MetricsLedger.BYTES_PER_EVENT));
    }
}
