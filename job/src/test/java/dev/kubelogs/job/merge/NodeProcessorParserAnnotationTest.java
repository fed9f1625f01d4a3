package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.parse.Parsers;
import dev.kubelogs.job.parse.ParsersFile;
import dev.kubelogs.spool.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pod's fluentbit.io/parser annotations through the keyed stage: the named parser replaces the default JSON merge
 * for its streams (kubernetes.c cb_kube_filter, merge_log_handler), and the parsed time becomes the event's.
 */
class NodeProcessorParserAnnotationTest {
    private static final String ID = "3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b";
    private static final String APP = "/var/log/containers/relay-0_mail_postfix-" + ID + ".log";
    private static final String SYSLOG_LINE =
            "2024-05-14T09:12:03.123456789Z stdout F May 14 09:12:01 relay-0 postfix/smtpd[812]: connect from mx1";
    private static final String KUBERNETES = "\"kubernetes\":{\"pod_name\":\"relay-0\",\"namespace_name\":\"mail\","
            + "\"pod_id\":\"5b0c1e9e\",\"host\":\"node-1\",\"container_name\":\"postfix\",\"docker_id\":\"" + ID
            + "\",\"container_image\":\"postfix:3\"}}";

    private NodeHarness node;

    private static String pod(String annotations) {
        return "{\"event\":\"upsert\",\"observedAt\":1,\"namespace\":\"mail\",\"name\":\"relay-0\","
                + "\"uid\":\"5b0c1e9e\",\"nodeName\":\"node-1\",\"labels\":{},\"annotations\":" + annotations + ","
                + "\"containers\":[{\"name\":\"postfix\",\"containerId\":\"" + ID + "\",\"imageId\":\"\","
                + "\"image\":\"postfix:3\"}]}";
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
    }

    @Test
    void theAnnotatedSyslogParserReplacesTheDefaultMergeAndSetsTheTimestamp() throws Exception {
        node = new NodeHarness(JobOptions.defaults());
        node.send(() -> {
            node.pod(pod("{\"fluentbit.io/parser\":\"syslog\"}"));
            node.line(APP, SourceKind.CONTAINER, SYSLOG_LINE);
        });
        List<CloudWatchEvent> events = node.application();
        assertThat(node.messages(dev.kubelogs.job.route.Category.APPLICATION))
                .containsExactly("{\"time\":\"2024-05-14T09:12:03.123456789Z\",\"stream\":\"stdout\",\"_p\":\"F\","
                        + "\"log\":\"May 14 09:12:01 relay-0 postfix/smtpd[812]: connect from mx1\","
                        + "\"log_processed\":{\"host\":\"relay-0\",\"ident\":\"postfix/smtpd\",\"pid\":\"812\","
                        + "\"message\":\"connect from mx1\"},"
                        + KUBERNETES);
        assertThat(events.get(0).timestamp)
                .isEqualTo(Instant.parse("2024-05-14T09:12:01Z").toEpochMilli());
    }

    @Test
    void aStreamAnnotationLeavesTheOtherStreamToTheDefaultMerge() throws Exception {
        node = new NodeHarness(JobOptions.defaults());
        node.send(() -> {
            node.pod(pod("{\"fluentbit.io/parser_stderr\":\"syslog\"}"));
            node.line(APP, SourceKind.CONTAINER, SYSLOG_LINE);
            node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:04Z stdout F {\"msg\":\"up\"}");
        });
        List<CloudWatchEvent> events = node.application();
        assertThat(events.get(0).message()).doesNotContain("log_processed");
        assertThat(events.get(0).timestamp)
                .isEqualTo(Instant.parse("2024-05-14T09:12:03.123Z").toEpochMilli());
        assertThat(events.get(1).message()).contains("\"log_processed\":{\"msg\":\"up\"}");
    }

    @Test
    void aLineThatWaitedForItsPodGetsTheParserWhenThePodComes() throws Exception {
        node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ofSeconds(10), 100));
        node.send(() -> node.line(APP, SourceKind.CONTAINER, SYSLOG_LINE));
        assertThat(node.application()).isEmpty();
        node.send(() -> node.pod(pod("{\"fluentbit.io/parser\":\"syslog\"}")));
        assertThat(node.application().get(0).message()).contains("\"log_processed\":{\"host\":\"relay-0\"");
    }

    @Test
    void aUsersParsersFileAndAnUndefinedNameCounted() throws Exception {
        Parsers user = Parsers.of(
                ParsersFile.parse(
                        "[PARSER]\nName postfix\nFormat regex\nRegex ^(?<when>\\w+ +\\d+ [\\d:]+) (?<host>\\S+) (?<rest>.*)$\n"));
        node = new NodeHarness(JobOptions.defaults().parsers(user));
        node.send(() -> {
            node.pod(pod("{\"fluentbit.io/parser\":\"syslog\",\"fluentbit.io/parser_stdout-postfix\":\"postfix\"}"));
            node.line(APP, SourceKind.CONTAINER, SYSLOG_LINE);
            node.line(APP, SourceKind.CONTAINER, SYSLOG_LINE.replace(" stdout ", " stderr "));
        });
        List<CloudWatchEvent> events = node.application();
        assertThat(events.get(0).message())
                .contains("\"log_processed\":{\"when\":\"May 14 09:12:01\",\"host\":\"relay-0\","
                        + "\"rest\":\"postfix/smtpd[812]: connect from mx1\"}");
        // syslog is not in the user's file, which replaces parsers.conf: stderr keeps the default merge
        assertThat(events.get(1).message()).doesNotContain("log_processed");
        assertThat(node.counter("unknownParserRecords")).isEqualTo(2);
    }

    /** A user's regex that backtracks without end gives up: the record goes out without log_processed, counted. */
    @Test
    void aParserThatGivesUpLeavesTheRecordAsItIsAndIsCounted() throws Exception {
        Parsers user = Parsers.of(ParsersFile.parse("[PARSER]\nName slow\nFormat regex\nRegex ^(?<x>(.*a){12})$\n"));
        node = new NodeHarness(JobOptions.defaults().parsers(user));
        node.send(() -> {
            node.pod(pod("{\"fluentbit.io/parser\":\"slow\"}"));
            node.line(APP, SourceKind.CONTAINER, "2024-05-14T09:12:03.123456789Z stdout F " + "a".repeat(60) + "!");
        });
        List<CloudWatchEvent> events = node.application();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).message()).doesNotContain("log_processed").endsWith(KUBERNETES);
        assertThat(node.counter("parserGaveUpRecords")).isEqualTo(1);
    }

    /** K8S-Logging.Exclude Off: fluentbit.io/exclude is not honoured (only kubelogs.dev/exclude opts a pod out). */
    @Test
    void theFluentBitExcludeAnnotationExcludesNothing() throws Exception {
        node = new NodeHarness(JobOptions.defaults());
        node.send(() -> {
            node.pod(pod("{\"fluentbit.io/exclude\":\"true\",\"fluentbit.io/exclude_stdout\":\"true\"}"));
            node.line(APP, SourceKind.CONTAINER, SYSLOG_LINE);
        });
        assertThat(node.application()).hasSize(1);
        assertThat(node.application().get(0).message()).endsWith(KUBERNETES);
    }
}
