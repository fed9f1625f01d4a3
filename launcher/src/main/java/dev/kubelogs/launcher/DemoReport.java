package dev.kubelogs.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.job.route.Category;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/** What landed in CloudWatch Logs, read back through the AWS SDK exactly as a user's tools would. */
final class DemoReport {
    static final String DEAD_LETTER_SUFFIX = Category.DEAD_LETTER.groupSuffix();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** log group → log stream → event count. */
    private final Map<String, Map<String, Long>> events;
    /** dead-letter reason → records, over every kubelogs-dead-letter group. */
    private final Map<String, Long> deadLetterReasons;

    private DemoReport(Map<String, Map<String, Long>> events, Map<String, Long> deadLetterReasons) {
        this.events = events;
        this.deadLetterReasons = deadLetterReasons;
    }

    /** Reads every Container Insights group of {@code cluster} but {@code skipGroup} (null: none). */
    static DemoReport read(URI endpoint, String region, String cluster, String skipGroup) {
        Map<String, Map<String, Long>> events = new LinkedHashMap<>();
        Map<String, Long> reasons = new TreeMap<>();
        try (CloudWatchLogsClient client = client(endpoint, region)) {
            String prefix = "/aws/containerinsights/" + cluster + "/";
            for (LogGroup group : client.describeLogGroupsPaginator(r -> r.logGroupNamePrefix(prefix))
                    .logGroups()) {
                if (group.logGroupName().equals(skipGroup)) {
                    continue;
                }
                Map<String, Long> streams = new LinkedHashMap<>();
                boolean deadLetters = group.logGroupName().endsWith("/" + DEAD_LETTER_SUFFIX);
                for (LogStream stream : client.describeLogStreamsPaginator(r -> r.logGroupName(group.logGroupName()))
                        .logStreams()) {
                    long[] count = {0};
                    forEachEvent(client, group.logGroupName(), stream.logStreamName(), e -> {
                        count[0]++;
                        if (deadLetters) {
                            reasons.merge(reasonOf(e.message()), 1L, Long::sum);
                        }
                    });
                    streams.put(stream.logStreamName(), count[0]);
                }
                events.put(group.logGroupName(), streams);
            }
        }
        return new DemoReport(events, reasons);
    }

    /** A client for {@code endpoint}: fixed credentials for a local one, the default chain otherwise. */
    static CloudWatchLogsClient client(URI endpoint, String region) {
        return CloudWatchLogsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials(endpoint))
                .build();
    }

    /** Hands every event of a stream, oldest first, to {@code each}. */
    static void forEachEvent(CloudWatchLogsClient client, String group, String stream, Consumer<OutputLogEvent> each) {
        String token = null;
        while (true) {
            GetLogEventsRequest.Builder request = GetLogEventsRequest.builder()
                    .logGroupName(group)
                    .logStreamName(stream)
                    .startFromHead(true);
            if (token != null) {
                request.nextToken(token);
            }
            GetLogEventsResponse page = client.getLogEvents(request.build());
            page.events().forEach(each);
            if (page.nextForwardToken() == null || page.nextForwardToken().equals(token)) {
                return;
            }
            token = page.nextForwardToken();
        }
    }

    /** The record's reason: the sink's reason code, or the job's text up to its first detail (a path, a message). */
    static String reasonOf(String deadLetterMessage) {
        try {
            String reason = JSON.readTree(deadLetterMessage).path("reason").asText("");
            int colon = reason.indexOf(':');
            String head = (colon < 0 ? reason : reason.substring(0, colon)).replaceAll(" /\\S*|\\s+$", "");
            return head.isEmpty() ? "(no reason)" : head;
        } catch (IOException e) {
            return "(not JSON)";
        }
    }

    /** Dead-letter records by reason. */
    Map<String, Long> deadLetterReasons() {
        return deadLetterReasons;
    }

    private static AwsCredentialsProvider credentials(URI endpoint) {
        String host = endpoint.getHost();
        boolean local = host != null && (host.equals("localhost") || host.startsWith("127."));
        return local
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build();
    }

    long total(String groupSuffix) {
        return events.entrySet().stream()
                .filter(e -> e.getKey().endsWith("/" + groupSuffix))
                .flatMap(e -> e.getValue().values().stream())
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Lines written per destination over all generated nodes (empty for --logs: nothing to compare). */
    static Map<SampleNode.Destination, Long> written(List<SampleNode> generated) {
        Map<SampleNode.Destination, Long> written = new LinkedHashMap<>();
        for (SampleNode n : generated) {
            n.linesByDestination().forEach((d, lines) -> written.merge(d, lines, Long::sum));
        }
        return written;
    }

    void print(PrintStream out, List<SampleNode> generated) {
        print(out, written(generated));
    }

    void print(PrintStream out, Map<SampleNode.Destination, Long> generated) {
        out.println();
        for (Map.Entry<String, Map<String, Long>> group : events.entrySet()) {
            long total = group.getValue().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            out.printf(
                    Locale.ROOT,
                    "%s  (%d streams, %,d events)%n",
                    group.getKey(),
                    group.getValue().size(),
                    total);
            for (Map.Entry<String, Long> stream : group.getValue().entrySet()) {
                out.printf(Locale.ROOT, "  %,9d  %s%n", stream.getValue(), stream.getKey());
            }
        }
        out.println();
        if (!deadLetterReasons.isEmpty()) {
            long total = deadLetterReasons.values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            out.printf(
                    Locale.ROOT,
                    "DEAD LETTERS: %,d records kept with their reason in the %s group(s):%n",
                    total,
                    DEAD_LETTER_SUFFIX);
            deadLetterReasons.forEach((reason, n) -> out.printf(Locale.ROOT, "  %,9d  %s%n", n, reason));
            out.println();
        }
        if (!generated.isEmpty()) {
            out.printf(Locale.ROOT, "%-12s %12s %12s%n", "CATEGORY", "WRITTEN", "DELIVERED");
            for (String[] row : rows(generated)) {
                out.printf(Locale.ROOT, "%-12s %12s %12s%n", (Object[]) row);
            }
            out.println(
                    matches(generated)
                            ? "Every generated line arrived exactly once in its Container Insights log group (fluentd* excluded, as the incumbent does)."
                            : "MISMATCH: delivered counts differ from what was written; see the table above.");
            out.println();
        }
    }

    private List<String[]> rows(Map<SampleNode.Destination, Long> generated) {
        List<String[]> rows = new ArrayList<>();
        for (SampleNode.Destination d : SampleNode.Destination.values()) {
            long written = generated.getOrDefault(d, 0L);
            String delivered = d == SampleNode.Destination.DROPPED
                    ? "(excluded)"
                    : String.format(Locale.ROOT, "%,d", total(suffix(d)));
            rows.add(new String[] {
                d.name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%,d", written), delivered
            });
        }
        return rows;
    }

    boolean matches(List<SampleNode> generated) {
        return matches(written(generated));
    }

    boolean matches(Map<SampleNode.Destination, Long> generated) {
        if (generated.isEmpty()) {
            return true;
        }
        for (SampleNode.Destination d : SampleNode.Destination.values()) {
            if (d == SampleNode.Destination.DROPPED) {
                continue;
            }
            long written = generated.getOrDefault(d, 0L);
            if (written != total(suffix(d))) {
                return false;
            }
        }
        return true;
    }

    private static String suffix(SampleNode.Destination d) {
        return d.name().toLowerCase(Locale.ROOT);
    }
}
