package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.JobOptions;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;

class NodeProcessorConfigOptionsTest {

    @Test
    void theKeysAreTheDocumentedOnes() {
        assertThat(NodeProcessorConfigOptions.LOG_GROUP_PREFIX.key()).isEqualTo("kubelogs.log-group-prefix");
        assertThat(NodeProcessorConfigOptions.MULTILINE_FLUSH_TIMEOUT.key())
                .isEqualTo("kubelogs.multiline.flush-timeout");
        assertThat(NodeProcessorConfigOptions.STACK_TRACE_JOINING.key())
                .isEqualTo("kubelogs.multiline.stack-trace-joining");
        assertThat(NodeProcessorConfigOptions.MULTILINE_RULES.key()).isEqualTo("kubelogs.multiline.rules-file");
        assertThat(NodeProcessorConfigOptions.MAX_RECORD_BYTES.key()).isEqualTo("kubelogs.multiline.max-record-bytes");
        assertThat(NodeProcessorConfigOptions.OVERSIZE_EVENTS.key()).isEqualTo("kubelogs.oversize-events");
        assertThat(NodeProcessorConfigOptions.METADATA_WAIT.key()).isEqualTo("kubelogs.enrich.metadata-wait");
        assertThat(NodeProcessorConfigOptions.MAX_AWAITING_EVENTS_PER_NODE.key())
                .isEqualTo("kubelogs.enrich.max-awaiting-events-per-node");
        assertThat(NodeProcessorConfigOptions.KUBERNETES_LABELS.key()).isEqualTo("kubelogs.enrich.kubernetes-labels");
        assertThat(NodeProcessorConfigOptions.KUBERNETES_ANNOTATIONS.key())
                .isEqualTo("kubelogs.enrich.kubernetes-annotations");
        assertThat(NodeProcessorConfigOptions.PARSERS_FILE.key()).isEqualTo("kubelogs.enrich.parsers-file");
        assertThat(NodeProcessorConfigOptions.SEGMENT_GAP_TIMEOUT.key())
                .isEqualTo("kubelogs.order.segment-gap-timeout");
        assertThat(NodeProcessorConfigOptions.FILE_STATE_TTL.key()).isEqualTo("kubelogs.dedupe.file-state-ttl");
    }

    @Test
    void theDefaultsAreContainerInsightsAndFluentBits() {
        Configuration none = new Configuration();
        assertThat(none.get(NodeProcessorConfigOptions.LOG_GROUP_PREFIX)).isEqualTo("/aws/containerinsights");
        // Fluent Bit's multiline flush_timeout and multiline_buffer_limit "2MB" (2,000,000 bytes)
        assertThat(none.get(NodeProcessorConfigOptions.MULTILINE_FLUSH_TIMEOUT)).isEqualTo(Duration.ofSeconds(4));
        assertThat(none.get(NodeProcessorConfigOptions.MAX_RECORD_BYTES)).isEqualTo(2_000_000);
        assertThat(none.get(NodeProcessorConfigOptions.STACK_TRACE_JOINING)).isTrue();
        // Container Insights' kubernetes filter: Labels Off, Annotations Off
        assertThat(none.get(NodeProcessorConfigOptions.KUBERNETES_LABELS)).isFalse();
        assertThat(none.get(NodeProcessorConfigOptions.KUBERNETES_ANNOTATIONS)).isFalse();
        assertThat(none.get(NodeProcessorConfigOptions.OVERSIZE_EVENTS)).isEqualTo(OversizeEvents.SPLIT);
        assertThat(none.get(NodeProcessorConfigOptions.MULTILINE_RULES)).isNull();
        assertThat(none.get(NodeProcessorConfigOptions.PARSERS_FILE)).isNull();
        assertThat(none.get(NodeProcessorConfigOptions.METADATA_WAIT)).isEqualTo(Duration.ofSeconds(10));
        assertThat(none.get(NodeProcessorConfigOptions.MAX_AWAITING_EVENTS_PER_NODE))
                .isEqualTo(10_000);
        assertThat(none.get(NodeProcessorConfigOptions.SEGMENT_GAP_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(none.get(NodeProcessorConfigOptions.FILE_STATE_TTL)).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void valuesAreReadAsAFlinkConfigurationFileWritesThem() {
        Configuration config = Configuration.fromMap(Map.of(
                "kubelogs.multiline.flush-timeout", "500 ms",
                "kubelogs.oversize-events", "truncate",
                "kubelogs.dedupe.file-state-ttl", "1 d",
                "kubelogs.enrich.kubernetes-labels", "true"));
        assertThat(config.get(NodeProcessorConfigOptions.MULTILINE_FLUSH_TIMEOUT))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(config.get(NodeProcessorConfigOptions.OVERSIZE_EVENTS)).isEqualTo(OversizeEvents.TRUNCATE);
        assertThat(config.get(NodeProcessorConfigOptions.FILE_STATE_TTL)).isEqualTo(Duration.ofDays(1));
        assertThat(config.get(NodeProcessorConfigOptions.KUBERNETES_LABELS)).isTrue();
    }

    @Test
    void anUnknownOversizePolicyIsAnErrorNamingIt() {
        Configuration config = Configuration.fromMap(Map.of("kubelogs.oversize-events", "DROP"));
        assertThatThrownBy(() -> config.get(NodeProcessorConfigOptions.OVERSIZE_EVENTS))
                .hasMessageContaining("kubelogs.oversize-events")
                .hasStackTraceContaining("DROP");
    }

    /** A negative duration: Flink's text form has none, a program (or a command line's flag) sets one. */
    private static Configuration negative(org.apache.flink.configuration.ConfigOption<Duration> option) {
        Configuration config = new Configuration();
        config.set(option, Duration.ofSeconds(-1));
        return config;
    }

    @Test
    void aNegativeDurationInAConfigurationFileIsAnErrorNamingTheKey() {
        Configuration config = Configuration.fromMap(Map.of("kubelogs.enrich.metadata-wait", "-1 s"));
        assertThatThrownBy(() -> JobOptions.from(config)).hasMessageContaining("kubelogs.enrich.metadata-wait");
    }

    @Test
    void outOfRangeValuesAreErrorsNamingTheKey() {
        assertThatThrownBy(() ->
                        JobOptions.from(Configuration.fromMap(Map.of("kubelogs.multiline.flush-timeout", "0 ms"))))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage("kubelogs.multiline.flush-timeout must be longer than 0 (got 0 ms)");
        assertThatThrownBy(() ->
                        JobOptions.from(Configuration.fromMap(Map.of("kubelogs.multiline.max-record-bytes", "0"))))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageStartingWith("kubelogs.multiline.max-record-bytes must be at least 1");
        assertThatThrownBy(() -> JobOptions.from(negative(NodeProcessorConfigOptions.METADATA_WAIT)))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageStartingWith("kubelogs.enrich.metadata-wait must not be negative");
        assertThatThrownBy(() -> JobOptions.from(
                        Configuration.fromMap(Map.of("kubelogs.enrich.max-awaiting-events-per-node", "-1"))))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageStartingWith("kubelogs.enrich.max-awaiting-events-per-node must be at least 0");
        assertThatThrownBy(() -> JobOptions.from(negative(NodeProcessorConfigOptions.SEGMENT_GAP_TIMEOUT)))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageStartingWith("kubelogs.order.segment-gap-timeout must not be negative");
        assertThatThrownBy(
                        () -> JobOptions.from(Configuration.fromMap(Map.of("kubelogs.dedupe.file-state-ttl", "0 s"))))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageStartingWith("kubelogs.dedupe.file-state-ttl must be longer than 0");
    }
}
