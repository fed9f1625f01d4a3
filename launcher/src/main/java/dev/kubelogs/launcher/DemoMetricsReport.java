package dev.kubelogs.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;

/**
 * What the metrics pipeline wrote to its log group (one stream per scrape job, EMF events), read back through the
 * AWS SDK, and the demo's checks of it: every expected stream has events, with CloudWatch metric directives, and the
 * {@code nginx_http_requests_total} deltas add up to what nginx counted.
 */
final class DemoMetricsReport {
    static final String NGINX_REQUESTS = "nginx_http_requests_total";
    private static final String DIRECTIVE = "CloudWatchMetrics";
    private static final int SHOWN_CHARS = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** nginx's request counts around the job's scrapes ({@link NginxTraffic}); {@code failure} null unless broken. */
    record NginxCounts(long atFirstScrape, long atLastScrape, long sentByDemo, String failure) {}

    private final String group;
    /** log stream → its events' messages, oldest first. */
    private final Map<String, List<String>> events;

    DemoMetricsReport(String group, Map<String, List<String>> events) {
        this.group = group;
        this.events = events;
    }

    static DemoMetricsReport read(URI endpoint, String region, String group) {
        Map<String, List<String>> events = new LinkedHashMap<>();
        try (CloudWatchLogsClient client = DemoReport.client(endpoint, region)) {
            boolean exists = client.describeLogGroupsPaginator(r -> r.logGroupNamePrefix(group)).logGroups().stream()
                    .anyMatch(g -> g.logGroupName().equals(group));
            if (exists) {
                for (LogStream s : client.describeLogStreamsPaginator(r -> r.logGroupName(group))
                        .logStreams()) {
                    List<String> messages = new ArrayList<>();
                    DemoReport.forEachEvent(client, group, s.logStreamName(), e -> messages.add(e.message()));
                    events.put(s.logStreamName(), messages);
                }
            }
        }
        return new DemoMetricsReport(group, events);
    }

    Map<String, List<String>> events() {
        return events;
    }

    /** The group, its streams with event counts, and one EMF event with a metric directive per stream. */
    void print(PrintStream out) {
        long total = events.values().stream().mapToLong(List::size).sum();
        out.printf(Locale.ROOT, "%s  (metrics pipeline: %d streams, %,d EMF events)%n", group, events.size(), total);
        events.forEach((stream, messages) -> out.printf(Locale.ROOT, "  %,9d  %s%n", messages.size(), stream));
        events.forEach((stream, messages) -> messages.stream()
                .filter(DemoMetricsReport::hasDirective)
                .findFirst()
                .or(() -> messages.stream().findFirst())
                .ifPresent(m -> out.printf(Locale.ROOT, "  e.g. %s: %s%n", stream, shortened(m))));
        out.println();
    }

    /**
     * Prints and checks: each of {@code expectedStreams} has events and, with {@code directives}, at least one with a
     * metric directive; with {@code nginx}, the {@value #NGINX_REQUESTS} deltas in the nginx stream add up to nginx's
     * own count.
     */
    boolean check(
            List<String> expectedStreams, boolean directives, String nginxStream, NginxCounts nginx, PrintStream out) {
        boolean ok = true;
        for (String stream : expectedStreams) {
            List<String> messages = events.getOrDefault(stream, List.of());
            if (messages.isEmpty()) {
                out.printf(Locale.ROOT, "METRICS MISSING: no events in %s, stream %s%n", group, stream);
                ok = false;
            } else if (directives && messages.stream().noneMatch(DemoMetricsReport::hasDirective)) {
                out.printf(
                        Locale.ROOT,
                        "METRICS MISSING: no event of stream %s carries a %s directive%n",
                        stream,
                        DIRECTIVE);
                ok = false;
            }
        }
        if (nginx != null) {
            ok &= checkNginx(events.getOrDefault(nginxStream, List.of()), nginx, out);
        }
        if (ok) {
            out.printf(
                    Locale.ROOT,
                    "Every scrape job wrote EMF events%s (%s).%n",
                    directives ? " with CloudWatch metric directives" : "",
                    String.join(", ", expectedStreams));
        }
        out.println();
        return ok;
    }

    private static boolean checkNginx(List<String> messages, NginxCounts nginx, PrintStream out) {
        if (nginx.failure() != null) {
            out.println("NGINX: the demo's requests to nginx failed: " + nginx.failure());
            return false;
        }
        if (nginx.atFirstScrape() < 0) {
            out.println("NGINX: the job did not scrape the nginx exporter while the demo sent requests");
            return false;
        }
        double sum = 0;
        long deltas = 0;
        for (String m : messages) {
            JsonNode value = parse(m).path(NGINX_REQUESTS);
            if (value.isNumber()) {
                sum += value.doubleValue();
                deltas++;
            }
        }
        long counted = nginx.atLastScrape() - nginx.atFirstScrape();
        // between the first and the last scrape nginx counted the demo's requests and one stub_status read per later
        // scrape, i.e. per delta
        boolean ok = sum == counted && counted == nginx.sentByDemo() + deltas;
        out.printf(
                Locale.ROOT,
                "%s %s: the job's %d deltas sum to %,.0f; nginx counted %,d requests between the "
                        + "job's first and last scrape (%,d from the demo + %,d stub_status reads, one per later "
                        + "scrape)%n",
                ok ? "nginx" : "NGINX MISMATCH",
                NGINX_REQUESTS,
                deltas,
                sum,
                counted,
                nginx.sentByDemo(),
                counted - nginx.sentByDemo());
        return ok;
    }

    static boolean hasDirective(String message) {
        return parse(message).has(DIRECTIVE);
    }

    private static JsonNode parse(String message) {
        try {
            return JSON.readTree(message);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static String shortened(String message) {
        return message.length() <= SHOWN_CHARS ? message : message.substring(0, SHOWN_CHARS) + "…";
    }
}
