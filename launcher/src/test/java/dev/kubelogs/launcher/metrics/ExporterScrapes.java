package dev.kubelogs.launcher.metrics;

import dev.kubelogs.job.metrics.MetricsSetup;
import dev.kubelogs.job.metrics.config.CloudWatchAgentConfigParser;
import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the real-exporter tests share: the agent's default declarations, and talking to the exporters. */
final class ExporterScrapes {
    static final String CLUSTER = "it-cluster";
    static final String GROUP = "/aws/containerinsights/" + CLUSTER + "/prometheus";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ExporterScrapes() {}

    /** These scrape jobs with the agent's default cwagentconfig.json (its 14 declarations), for {@link #CLUSTER}. */
    static MetricsSetup withDefaultDeclarations(String... jobs) {
        String yaml = "scrape_configs:\n" + String.join("", jobs);
        return new MetricsSetup(
                CloudWatchAgentConfigParser.parseDefault().prometheus(),
                PrometheusConfigParser.parse(yaml, "test prometheus.yaml"),
                CLUSTER,
                null);
    }

    /** The value of the sample {@code series} (name and labels as the exporter writes them) the exporter shows now. */
    static double exporterValue(URI metrics, String series) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        if (!m.find()) {
            throw new AssertionError(series + " is not in the exporter's output:\n" + body);
        }
        return Double.parseDouble(m.group(1));
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
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
