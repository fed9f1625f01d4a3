package dev.kubelogs.launcher.metrics;

import dev.kubelogs.job.metrics.MetricsSetup;
import dev.kubelogs.job.metrics.config.CloudWatchAgentConfigParser;
import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.util.function.SupplierWithException;

/**
 * What the real-exporter tests share: scrape jobs over static targets carrying the labels a default job's discovery
 * would give, the agent's default declarations, the exactly-once sink to the local endpoint, and an exporter's own
 * value of a series.
 */
final class ExporterScrapes {
    static final String CLUSTER = "it-cluster";
    static final String GROUP = "/aws/containerinsights/" + CLUSTER + "/prometheus";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ExporterScrapes() {}

    /** One scrape job of {@code prometheus.yaml}: a static target with these labels, then {@code extra} lines. */
    static String staticJob(String job, Duration interval, String address, Map<String, String> labels,
            String... extra) {
        StringBuilder yaml = new StringBuilder()
                .append("- job_name: ").append(job).append('\n')
                .append("  scrape_interval: ").append(interval.toMillis()).append("ms\n")
                .append("  scrape_timeout: ").append(interval.toMillis() * 4 / 5).append("ms\n")
                .append("  static_configs:\n")
                .append("  - targets: ['").append(address).append("']\n")
                .append("    labels:\n");
        labels.forEach((name, value) -> yaml.append("      ").append(name).append(": '").append(value).append("'\n"));
        for (String line : extra) {
            yaml.append(line).append('\n');
        }
        return yaml.toString();
    }

    /** These scrape jobs with the agent's default cwagentconfig.json (its 14 declarations), for {@link #CLUSTER}. */
    static MetricsSetup withDefaultDeclarations(String... jobs) {
        String yaml = "scrape_configs:\n" + String.join("", jobs);
        return new MetricsSetup(CloudWatchAgentConfigParser.parseDefault().prometheus(),
                PrometheusConfigParser.parse(yaml, "test prometheus.yaml"), CLUSTER, null);
    }

    /** The job's exactly-once sink, aimed at the local endpoint. */
    static Sink<CloudWatchEvent> sink(URI endpoint, Path deadLetters) {
        return CloudWatchLogsSink.builder().region("us-east-1").endpoint(endpoint.toString())
                .staticCredentials("k", "s").deadLetterDirectory(deadLetters.toString())
                .readBackSettleDelay(Duration.ofMillis(200))
                .streamOwner(CloudWatchLogsSink.streamKeySelector()).build();
    }

    /** The value of the sample {@code series} (name and labels as the exporter writes them) the exporter shows now. */
    static double exporterValue(URI metrics, String series) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        if (!m.find()) {
            throw new AssertionError(series + " is not in the exporter's output:\n" + body);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Waits until {@code condition} holds, checking every 100 ms; fails naming {@code what} after {@code deadline}. */
    static void await(String what, Duration deadline, SupplierWithException<Boolean, Exception> condition)
            throws Exception {
        try {
            CommonTestUtils.waitUntilCondition(condition, 100L, (int) Math.max(1, deadline.toMillis() / 100));
        } catch (TimeoutException e) {
            throw new AssertionError("not within " + deadline + ": " + what, e);
        }
    }

    /** Sends one GET and checks the answer is 200. */
    static void get(URI uri) {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 200) {
                throw new AssertionError(uri + " answered " + status);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
