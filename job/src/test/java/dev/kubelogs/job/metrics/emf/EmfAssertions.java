package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.job.model.CloudWatchEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks an event against the EMF specification's rules (docs.aws.amazon.com CloudWatch_Embedded_Metric_Format_
 * Specification) as CloudWatch applies them: a JSON object; the directive array at the root ({@code Version "0"}) or
 * in {@code _aws} with a numeric {@code Timestamp}; each directive a non-empty {@code Namespace}, dimension sets of at
 * most 30 names each naming a root string field, at most 100 metric definitions (and at most 100 in the whole event)
 * each naming a root field that is a number, an array of at most 100 numbers, or a values/counts object with at most
 * 100 values; a known unit; the event within its size limit.
 */
final class EmfAssertions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> UNITS = Set.of(
            "Seconds",
            "Microseconds",
            "Milliseconds",
            "Bytes",
            "Kilobytes",
            "Megabytes",
            "Gigabytes",
            "Terabytes",
            "Bits",
            "Kilobits",
            "Megabits",
            "Gigabits",
            "Terabits",
            "Percent",
            "Count",
            "Bytes/Second",
            "Kilobytes/Second",
            "Megabytes/Second",
            "Gigabytes/Second",
            "Terabytes/Second",
            "Bits/Second",
            "Kilobits/Second",
            "Megabits/Second",
            "Gigabits/Second",
            "Terabits/Second",
            "Count/Second",
            "None");

    private EmfAssertions() {}

    static JsonNode parse(String message) {
        try {
            JsonNode root = JSON.readTree(message);
            assertThat(root.isObject())
                    .as("event is a JSON object: %s", message)
                    .isTrue();
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of metric definitions in the event; fails on any broken rule. */
    static int assertValid(CloudWatchEvent event, int maxEventBytes) {
        assertThat(event.message().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxEventBytes);
        JsonNode root = parse(event.message());
        JsonNode directives = root.get("CloudWatchMetrics");
        if (directives != null) {
            assertThat(root.path("Version").asText()).isEqualTo("0");
            assertThat(root.path("Timestamp").isTextual()).isTrue();
            assertThat(Long.parseLong(root.get("Timestamp").asText())).isEqualTo(event.timestamp);
        } else if (root.has("_aws")) {
            directives = root.get("_aws").get("CloudWatchMetrics");
            assertThat(root.get("_aws").path("Timestamp").isIntegralNumber()).isTrue();
            assertThat(root.get("_aws").get("Timestamp").asLong()).isEqualTo(event.timestamp);
        }
        if (directives == null) {
            return 0;
        }
        assertThat(directives.isArray()).isTrue();
        int metrics = 0;
        Set<String> names = new HashSet<>();
        for (JsonNode d : directives) {
            assertThat(d.path("Namespace").asText()).isNotEmpty().hasSizeLessThanOrEqualTo(255);
            assertThat(d.path("Dimensions").isArray()).isTrue();
            for (JsonNode set : d.get("Dimensions")) {
                assertThat(set.size()).isLessThanOrEqualTo(30);
                for (JsonNode dim : set) {
                    assertThat(root.path(dim.asText()).isTextual())
                            .as("dimension %s is a root string", dim)
                            .isTrue();
                }
            }
            JsonNode defs = d.get("Metrics");
            assertThat(defs.size()).isBetween(1, 100);
            for (JsonNode def : defs) {
                String name = def.path("Name").asText();
                assertThat(names.add(name)).as("metric %s defined once", name).isTrue();
                assertMetricValue(root.get(name), name);
                // the exporter writes Unit always, empty when no unit is configured
                if (!def.path("Unit").asText().isEmpty()) {
                    assertThat(UNITS).contains(def.get("Unit").asText());
                }
                if (def.has("StorageResolution")) {
                    assertThat(def.get("StorageResolution").asInt()).isIn(1, 60);
                }
                metrics++;
            }
        }
        assertThat(metrics).isLessThanOrEqualTo(100);
        return metrics;
    }

    private static void assertMetricValue(JsonNode value, String name) {
        assertThat(value).as("metric %s is a root field", name).isNotNull();
        if (value.isNumber()) {
            return;
        }
        if (value.isArray()) {
            assertNumbers(value, name);
            return;
        }
        assertThat(value.isObject()).as("metric %s value", name).isTrue();
        assertNumbers(value.get("Values"), name);
        assertNumbers(value.get("Counts"), name);
        assertThat(value.get("Counts").size()).isEqualTo(value.get("Values").size());
        for (String statistic : new String[] {"Max", "Min", "Count", "Sum"}) {
            assertThat(value.path(statistic).isNumber())
                    .as("%s.%s", name, statistic)
                    .isTrue();
        }
    }

    private static void assertNumbers(JsonNode array, String name) {
        assertThat(array.isArray()).as("%s values", name).isTrue();
        assertThat(array.size()).isBetween(1, 100);
        for (JsonNode n : array) {
            assertThat(n.isNumber()).isTrue();
        }
    }
}
