package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.target.TargetBuilder;

/** The one-JVM scrape loops' job (a static job named {@code bench} with the parser's defaults) and its targets. */
final class BenchScrapeJob {
    private BenchScrapeJob() {}

    static ScrapeConfig config() {
        return PrometheusConfigParser.parse(
                        "scrape_configs:\n- job_name: bench\n  static_configs:\n  - targets: ['127.0.0.1:1']\n",
                        "bench.yaml")
                .scrapeConfigs()
                .get(0);
    }

    /** Target {@code t} of the loops: a pod address of its own in one namespace. */
    static ScrapeTarget target(TargetBuilder builder, int t) {
        return builder.build(Labels.builder()
                .set("__address__", "10.0." + (t / 250) + "." + (t % 250) + ":9100")
                .set("Namespace", "shop-1")
                .set("pod_name", "orders-7d9c6b7f9d-" + t)
                .build());
    }
}
