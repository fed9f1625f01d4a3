package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import dev.kubelogs.job.metrics.config.ScrapeConfig;

/** The one-JVM scrape loops' job: a static job named {@code bench} with the parser's defaults. */
final class BenchScrapeJob {
    private BenchScrapeJob() {}

    static ScrapeConfig config() {
        return PrometheusConfigParser.parse(
                        "scrape_configs:\n- job_name: bench\n  static_configs:\n  - targets: ['127.0.0.1:1']\n",
                        "bench.yaml")
                .scrapeConfigs()
                .get(0);
    }
}
