package dev.kubelogs.job.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The metrics pipeline's events as a user reads them: GetLogEvents through the AWS SDK against the local endpoint,
 * each message parsed as JSON. Also the sums the tests check: a field's values over the events of one series.
 */
public final class LoggedMetrics implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloudWatchLogsClient client;

    public LoggedMetrics(URI endpoint) {
        this.client = CloudWatchLogsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    /** Every event of the stream, oldest first; none while the group or stream does not exist yet. */
    public List<OutputLogEvent> events(String group, String stream) {
        List<OutputLogEvent> out = new ArrayList<>();
        String token = null;
        try {
            while (true) {
                String from = token;
                GetLogEventsResponse page = client.getLogEvents(r -> r.logGroupName(group)
                        .logStreamName(stream)
                        .startFromHead(true)
                        .nextToken(from));
                out.addAll(page.events());
                if (page.nextForwardToken() == null || page.nextForwardToken().equals(token)) {
                    return out;
                }
                token = page.nextForwardToken();
            }
        } catch (ResourceNotFoundException notYet) {
            return List.of();
        }
    }

    /** The stream's events as JSON, oldest first. */
    public List<JsonNode> json(String group, String stream) {
        List<JsonNode> out = new ArrayList<>();
        for (OutputLogEvent e : events(group, stream)) {
            out.add(parse(e.message()));
        }
        return out;
    }

    /** The events having {@code field} whose labels include {@code labels}. */
    public static List<JsonNode> withField(List<JsonNode> events, String field, Map<String, String> labels) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.has(field)
                    && labels.entrySet().stream()
                            .allMatch(l -> e.has(l.getKey())
                                    && l.getValue().equals(e.get(l.getKey()).asText()))) {
                out.add(e);
            }
        }
        return out;
    }

    /** The sum of the numeric {@code field} over the events of the series {@code labels} names. */
    public static double sum(List<JsonNode> events, String field, Map<String, String> labels) {
        double sum = 0;
        for (JsonNode e : withField(events, field, labels)) {
            sum += e.get(field).asDouble();
        }
        return sum;
    }

    public static JsonNode parse(String message) {
        try {
            return JSON.readTree(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
