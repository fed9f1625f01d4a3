package dev.kubelogs.job;

import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.FILE_STATE_TTL;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.KUBERNETES_ANNOTATIONS;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.KUBERNETES_LABELS;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.LOG_GROUP_PREFIX;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MAX_AWAITING_EVENTS_PER_NODE;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MAX_RECORD_BYTES;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.METADATA_WAIT;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MULTILINE_FLUSH_TIMEOUT;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MULTILINE_RULES;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.OVERSIZE_EVENTS;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.PARSERS_FILE;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.SEGMENT_GAP_TIMEOUT;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.STACK_TRACE_JOINING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.merge.OversizeEvents;
import dev.kubelogs.job.multiline.BuiltInRuleSets;
import dev.kubelogs.job.multiline.SelectedRuleSet;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyed stage's settings: the options' defaults, read from configuration, checked, changed by copy. */
class JobOptionsTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultsAreTheOptionsDefaults() {
        JobOptions o = JobOptions.defaults();
        assertThat(o.logGroupPrefix())
                .isEqualTo(LOG_GROUP_PREFIX.defaultValue())
                .isEqualTo(JobOptions.DEFAULT_GROUP_PREFIX);
        assertThat(o.multilineFlushTimeout()).isEqualTo(MULTILINE_FLUSH_TIMEOUT.defaultValue());
        assertThat(o.stackTraceJoining())
                .isEqualTo(STACK_TRACE_JOINING.defaultValue())
                .isTrue();
        assertThat(o.maxRecordBytes())
                .isEqualTo(MAX_RECORD_BYTES.defaultValue())
                .isEqualTo(2_000_000);
        assertThat(o.oversizeEvents()).isEqualTo(OVERSIZE_EVENTS.defaultValue()).isEqualTo(OversizeEvents.SPLIT);
        assertThat(o.splitsOversizeEvents()).isTrue();
        assertThat(o.metadataWait()).isEqualTo(METADATA_WAIT.defaultValue());
        assertThat(o.maxAwaitingEventsPerNode()).isEqualTo(MAX_AWAITING_EVENTS_PER_NODE.defaultValue());
        assertThat(o.kubernetesLabels())
                .isEqualTo(KUBERNETES_LABELS.defaultValue())
                .isFalse();
        assertThat(o.kubernetesAnnotations())
                .isEqualTo(KUBERNETES_ANNOTATIONS.defaultValue())
                .isFalse();
        assertThat(o.segmentGapTimeout()).isEqualTo(SEGMENT_GAP_TIMEOUT.defaultValue());
        assertThat(o.fileStateTtl()).isEqualTo(FILE_STATE_TTL.defaultValue());
        assertThat(o.maxEventBytes()).isEqualTo(BatchCutter.MAX_EVENT_BYTES);
        assertThat(o.userRuleSets()).isEmpty();
        assertThat(o.parsers().get("syslog")).isNotNull();
    }

    @Test
    void aParsersFileTakesThePlaceOfContainerInsightsParsersConf() throws Exception {
        Path parsers = Files.writeString(dir.resolve("parsers.conf"), "[PARSER]\n Name json\n Format json\n");
        Configuration c = new Configuration();
        c.set(PARSERS_FILE, parsers.toString());
        JobOptions o = JobOptions.from(c);
        assertThat(o.parsers().get("json")).isNotNull();
        assertThat(o.parsers().get("syslog")).isNull();
        // the parsers travel with the options, which Flink serializes into the job graph
        assertThat(org.apache.flink.util.InstantiationUtil.clone(o).parsers().get("json"))
                .isNotNull();
        assertThat(o.maxRecordBytes(1024).parsers().get("json")).isNotNull();
        Files.writeString(parsers, "[PARSER]\n Name json\n Format json\n[PARSER]\n Name json\n Format json\n");
        assertThatThrownBy(() -> JobOptions.from(c))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage(parsers + ": parser named 'json' is defined twice");
    }

    @Test
    void readsEverySettingFromConfigurationAndTheRulesFile() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.json"), "[{\"name\":\"ruby\",\"namespace\":\"rails\"}]");
        Configuration c = new Configuration();
        c.set(LOG_GROUP_PREFIX, "/custom");
        c.set(MULTILINE_FLUSH_TIMEOUT, Duration.ofSeconds(9));
        c.set(STACK_TRACE_JOINING, false);
        c.set(MAX_RECORD_BYTES, 4096);
        c.set(OVERSIZE_EVENTS, OversizeEvents.TRUNCATE);
        c.set(METADATA_WAIT, Duration.ZERO);
        c.set(MAX_AWAITING_EVENTS_PER_NODE, 5);
        c.set(KUBERNETES_LABELS, true);
        c.set(KUBERNETES_ANNOTATIONS, true);
        c.set(SEGMENT_GAP_TIMEOUT, Duration.ofSeconds(1));
        c.set(FILE_STATE_TTL, Duration.ofHours(2));
        c.set(MULTILINE_RULES, rules.toString());
        JobOptions o = JobOptions.from(c);
        assertThat(o.logGroupPrefix()).isEqualTo("/custom");
        assertThat(o.multilineFlushTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(o.stackTraceJoining()).isFalse();
        assertThat(o.maxRecordBytes()).isEqualTo(4096);
        assertThat(o.oversizeEvents()).isEqualTo(OversizeEvents.TRUNCATE);
        assertThat(o.splitsOversizeEvents()).isFalse();
        assertThat(o.metadataWait()).isZero();
        assertThat(o.maxAwaitingEventsPerNode()).isEqualTo(5);
        assertThat(o.kubernetesLabels()).isTrue();
        assertThat(o.kubernetesAnnotations()).isTrue();
        assertThat(o.segmentGapTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.fileStateTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(o.userRuleSets()).extracting(SelectedRuleSet::ruleSet).containsExactly(BuiltInRuleSets.RUBY);
    }

    @Test
    void aValueOutOfRangeIsAnErrorNamingItsKey() {
        assertRefused(MAX_RECORD_BYTES.key(), c -> c.set(MAX_RECORD_BYTES, 0));
        assertRefused(MULTILINE_FLUSH_TIMEOUT.key(), c -> c.set(MULTILINE_FLUSH_TIMEOUT, Duration.ZERO));
        assertRefused(METADATA_WAIT.key(), c -> c.set(METADATA_WAIT, Duration.ofSeconds(-1)));
        assertRefused(MAX_AWAITING_EVENTS_PER_NODE.key(), c -> c.set(MAX_AWAITING_EVENTS_PER_NODE, -1));
        assertRefused(SEGMENT_GAP_TIMEOUT.key(), c -> c.set(SEGMENT_GAP_TIMEOUT, Duration.ofMillis(-5)));
        assertRefused(FILE_STATE_TTL.key(), c -> c.set(FILE_STATE_TTL, Duration.ZERO));
        assertThatThrownBy(() -> JobOptions.defaults().maxRecordBytes(0))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(MAX_RECORD_BYTES.key());
    }

    private static void assertRefused(String key, java.util.function.Consumer<Configuration> change) {
        Configuration c = new Configuration();
        change.accept(c);
        assertThatThrownBy(() -> JobOptions.from(c))
                .as(key)
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(key);
    }

    @Test
    void aChangeIsACopyThatKeepsEverythingElse() {
        List<SelectedRuleSet> rules = List.of(new SelectedRuleSet("rails", null, null, BuiltInRuleSets.RUBY));
        JobOptions base = JobOptions.defaults().userRuleSets(rules).kubernetesLabelsAndAnnotations(true, false);
        JobOptions changed = base.maxRecordBytes(1000)
                .metadataWait(Duration.ofSeconds(3), 7)
                .segmentGapTimeout(Duration.ofSeconds(2))
                .fileStateTtl(Duration.ofDays(1))
                .multilineFlushTimeout(Duration.ofSeconds(1))
                .logGroupPrefix("/p")
                .stackTraceJoining(false)
                .oversizeEvents(OversizeEvents.DEAD_LETTER);
        assertThat(base.maxRecordBytes()).isEqualTo(2_000_000);
        assertThat(base.logGroupPrefix()).isEqualTo(JobOptions.DEFAULT_GROUP_PREFIX);
        assertThat(changed.maxRecordBytes()).isEqualTo(1000);
        assertThat(changed.metadataWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(changed.maxAwaitingEventsPerNode()).isEqualTo(7);
        assertThat(changed.segmentGapTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(changed.fileStateTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(changed.multilineFlushTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(changed.logGroupPrefix()).isEqualTo("/p");
        assertThat(changed.stackTraceJoining()).isFalse();
        assertThat(changed.oversizeEvents()).isEqualTo(OversizeEvents.DEAD_LETTER);
        // carried through every change
        assertThat(changed.userRuleSets()).isEqualTo(rules);
        assertThat(changed.kubernetesLabels()).isTrue();
        assertThat(changed.kubernetesAnnotations()).isFalse();
    }

    @Test
    void travelsInTheJobGraph() throws Exception {
        JobOptions o = JobOptions.defaults().maxRecordBytes(1234).kubernetesLabelsAndAnnotations(true, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            JobOptions back = (JobOptions) in.readObject();
            assertThat(back.maxRecordBytes()).isEqualTo(1234);
            assertThat(back.kubernetesLabels()).isTrue();
            assertThat(back.routingRules()).isNotNull();
            assertThat(back.journalRouting()).isNotNull();
        }
    }
}
