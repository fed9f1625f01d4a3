package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.ScrapeConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchScrapeJobTest {
    @Test
    void isAStaticJobNamedBenchWithPrometheusDefaults() {
        ScrapeConfig job = BenchScrapeJob.config();

        assertThat(job.jobName()).isEqualTo("bench");
        // Prometheus' global defaults: the loops' scrapes are timed as a default job's would be
        assertThat(job.scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(job.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    }
}
