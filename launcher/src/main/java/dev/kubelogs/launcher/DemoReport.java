package dev.kubelogs.launcher;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

/** What landed in CloudWatch Logs, read back through the AWS SDK exactly as a user's tools would. */
final class DemoReport {

    /** log group → log stream → event count. */
    private final Map<String, Map<String, Long>> events;

    private DemoReport(Map<String, Map<String, Long>> events) {
        this.events = events;
    }

    static DemoReport read(URI endpoint, String region, String cluster) {
        Map<String, Map<String, Long>> events = new LinkedHashMap<>();
        try (CloudWatchLogsClient client = CloudWatchLogsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials(endpoint))
                .build()) {
            String prefix = "/aws/containerinsights/" + cluster + "/";
            for (LogGroup group : client.describeLogGroupsPaginator(r -> r.logGroupNamePrefix(prefix)).logGroups()) {
                Map<String, Long> streams = new LinkedHashMap<>();
                for (LogStream stream : client.describeLogStreamsPaginator(r -> r.logGroupName(group.logGroupName())).logStreams()) {
                    streams.put(stream.logStreamName(), countEvents(client, group.logGroupName(), stream.logStreamName()));
                }
                events.put(group.logGroupName(), streams);
            }
        }
        return new DemoReport(events);
    }

    private static long countEvents(CloudWatchLogsClient client, String group, String stream) {
        long count = 0;
        String token = null;
        while (true) {
            GetLogEventsRequest.Builder request = GetLogEventsRequest.builder()
                    .logGroupName(group).logStreamName(stream).startFromHead(true);
            if (token != null) {
                request.nextToken(token);
            }
            GetLogEventsResponse page = client.getLogEvents(request.build());
            count += page.events().size();
            if (page.nextForwardToken() == null || page.nextForwardToken().equals(token)) {
                return count;
            }
            token = page.nextForwardToken();
        }
    }

    private static AwsCredentialsProvider credentials(URI endpoint) {
        String host = endpoint.getHost();
        boolean local = host != null && (host.equals("localhost") || host.startsWith("127."));
        return local ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")) : DefaultCredentialsProvider.builder().build();
    }

    long total(String groupSuffix) {
        return events.entrySet().stream()
                .filter(e -> e.getKey().endsWith("/" + groupSuffix))
                .flatMap(e -> e.getValue().values().stream())
                .mapToLong(Long::longValue)
                .sum();
    }

    void print(PrintStream out, List<SampleNode> generated) {
        out.println();
        for (Map.Entry<String, Map<String, Long>> group : events.entrySet()) {
            long total = group.getValue().values().stream().mapToLong(Long::longValue).sum();
            out.printf(Locale.ROOT, "%s  (%d streams, %,d events)%n", group.getKey(), group.getValue().size(), total);
            for (Map.Entry<String, Long> stream : group.getValue().entrySet()) {
                out.printf(Locale.ROOT, "  %,9d  %s%n", stream.getValue(), stream.getKey());
            }
        }
        out.println();
        if (!generated.isEmpty()) {
            out.printf(Locale.ROOT, "%-12s %12s %12s%n", "CATEGORY", "WRITTEN", "DELIVERED");
            for (String[] row : rows(generated)) {
                out.printf(Locale.ROOT, "%-12s %12s %12s%n", (Object[]) row);
            }
            out.println(matches(generated)
                    ? "Every generated line arrived exactly once in its Container Insights log group (fluentd* excluded, as the incumbent does)."
                    : "MISMATCH: delivered counts differ from what was written; see the table above.");
            out.println();
        }
    }

    private List<String[]> rows(List<SampleNode> generated) {
        List<String[]> rows = new ArrayList<>();
        for (SampleNode.Destination d : SampleNode.Destination.values()) {
            long written = generated.stream().mapToLong(n -> n.linesByDestination().get(d)).sum();
            String delivered = d == SampleNode.Destination.DROPPED ? "(excluded)" : String.format(Locale.ROOT, "%,d", total(suffix(d)));
            rows.add(new String[] {d.name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%,d", written), delivered});
        }
        return rows;
    }

    boolean matches(List<SampleNode> generated) {
        if (generated.isEmpty()) {
            return true;
        }
        for (SampleNode.Destination d : SampleNode.Destination.values()) {
            if (d == SampleNode.Destination.DROPPED) {
                continue;
            }
            long written = generated.stream().mapToLong(n -> n.linesByDestination().get(d)).sum();
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
