package dev.kubelogs.job.metrics;

import dev.kubelogs.job.metrics.config.CloudWatchAgentConfigParser;
import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scrape jobs of the shipped default prometheus.yaml (the agent's, verbatim) adapted for tests: only their discovery
 * and interval change, everything else (metrics path, sample limit, metric_relabel_configs) stays as shipped.
 */
public final class DefaultScrapeJobs {
    /** A top-level key of a job (two spaces in), which ends the previous key's section. */
    private static final Pattern JOB_KEY = Pattern.compile("^  [a-z_]+:.*");

    private DefaultScrapeJobs() {}

    /** The job's block of the shipped file, from its {@code - job_name} line to the next job's. */
    public static String block(String jobName) {
        String yaml;
        try (InputStream in =
                PrometheusConfigParser.class.getResourceAsStream(PrometheusConfigParser.DEFAULT_RESOURCE)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = yaml.indexOf("- job_name: " + jobName);
        if (start < 0) {
            start = yaml.indexOf("- job_name: '" + jobName + "'");
        }
        if (start < 0) {
            throw new IllegalArgumentException("no job " + jobName + " in the shipped prometheus.yaml");
        }
        int end = yaml.indexOf("\n- job_name:", start);
        return (end < 0 ? yaml.substring(start) : yaml.substring(start, end + 1)).strip() + "\n";
    }

    /**
     * The shipped job alone, with the shipped cwagentconfig, scraping every {@code interval}, its Kubernetes discovery
     * by {@code role} through {@code apiServer} (the mock API server of a test).
     */
    public static MetricsSetup overApiServer(
            String jobName, String role, String apiServer, Duration interval, String cluster) {
        String job = withInterval(block(jobName), interval)
                .replace("  - role: endpoints\n", "  - role: " + role + "\n    api_server: " + apiServer + "\n");
        return new MetricsSetup(
                CloudWatchAgentConfigParser.parseDefault().prometheus(),
                PrometheusConfigParser.parse("scrape_configs:\n" + job, "test prometheus.yaml"),
                cluster,
                null);
    }

    /** The job scraping every {@code interval} (timeout 4/5 of it). */
    public static String withInterval(String block, Duration interval) {
        int firstLineEnd = block.indexOf('\n') + 1;
        return block.substring(0, firstLineEnd)
                + "  scrape_interval: " + interval.toMillis() + "ms\n"
                + "  scrape_timeout: " + interval.toMillis() * 4 / 5 + "ms\n"
                + block.substring(firstLineEnd);
    }

    /**
     * The shipped job with its Kubernetes discovery (kubernetes_sd_configs, and the relabel_configs that work on
     * its meta labels) replaced by static targets, each address with the labels that relabeling would have given.
     */
    public static String overStaticTargets(
            String jobName, Duration interval, Map<String, Map<String, String>> targets) {
        StringBuilder job = new StringBuilder();
        boolean dropping = false;
        for (String line : block(jobName).split("\n")) {
            if (JOB_KEY.matcher(line).matches()) {
                dropping = line.startsWith("  kubernetes_sd_configs:") || line.startsWith("  relabel_configs:");
            }
            if (!dropping) {
                job.append(line).append('\n');
            }
        }
        job.append("  static_configs:\n");
        targets.forEach((address, labels) -> {
            job.append("  - targets: ['").append(address).append("']\n").append("    labels:\n");
            labels.forEach((k, v) ->
                    job.append("      ").append(k).append(": '").append(v).append("'\n"));
        });
        return withInterval(job.toString(), interval);
    }
}
