package dev.kubelogs.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.parse.JournalEntry;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.LineRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static String trimmed(String v) {
        return v.substring(0, EventJson.mergeLogTrimmedLength(v));
    }

    /** A value whose serialization fails half-way through an event. */
    public static final class FailingValue {
        public String getValue() {
            throw new IllegalArgumentException("cannot be written");
        }
    }

    @Test
    void anEventAfterOneWhoseWriteFailedIsWrittenWhole() {
        // the merged log's tree is written by Jackson into the event, so a value it cannot write fails mid-event
        ObjectNode processed = JsonNodeFactory.instance.objectNode();
        processed.put("msg", "first half");
        processed.putPOJO("detail", new FailingValue());
        LineRecord failing = LineRecord.ofTexts("log", "{\"msg\":\"first half\"}\n", "stream", "stdout");
        LineRecord next = LineRecord.ofTexts("log", "next\n", "stream", "stdout");

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> EventJson.application(failing, new EventJson.Merged(processed, 0L), null))
                .isInstanceOf(IllegalStateException.class);

        assertThat(new String(EventJson.unenriched(next), StandardCharsets.UTF_8))
                .isEqualTo("{\"log\":\"next\\n\",\"stream\":\"stdout\"}");
        assertThat(new String(EventJson.unenriched(next), StandardCharsets.UTF_8))
                .as("and the one after it")
                .isEqualTo("{\"log\":\"next\\n\",\"stream\":\"stdout\"}");
    }

    @Test
    void mergeLogTrimIsFluentBitsValueTrimSize() {
        assertThat(trimmed("done\n")).isEqualTo("done");
        assertThat(trimmed("done\n\n")).isEqualTo("done");
        // the escapes backslash-n and backslash-r, as two characters, go too
        assertThat(trimmed("done\\n")).isEqualTo("done");
        assertThat(trimmed("done\\r\\n\n")).isEqualTo("done");
        // a bare carriage return stops the trim, as does anything else
        assertThat(trimmed("done\r\n")).isEqualTo("done\r");
        assertThat(trimmed("done\r")).isEqualTo("done\r");
        assertThat(trimmed("done \n")).isEqualTo("done ");
        // the first character is never looked at
        assertThat(trimmed("\n")).isEqualTo("\n");
        assertThat(trimmed("\n\n")).isEqualTo("\n");
        assertThat(trimmed("")).isEmpty();
        assertThat(trimmed("x\u2028\n")).isEqualTo("x\u2028");
    }

    @Test
    void logProcessedValuesAreTrimmedAtTheTopLevelOnly() {
        assertThat(EventJson.mergeLog("{\"msg\":\"a\\n\",\"cr\":\"b\\r\\n\",\"n\":1,\"o\":{\"inner\":\"c\\n\"}}\n")
                        .toString())
                .isEqualTo("{\"msg\":\"a\",\"cr\":\"b\\r\",\"n\":1,\"o\":{\"inner\":\"c\\n\"}}");
    }

    /** Fluent Bit holds the log's numbers as msgpack doubles and integers and writes them with printf. */
    @Test
    void logProcessedNumbersAreWrittenAsFluentBitWritesThem() {
        String log = "{\"i\":42,\"f\":0.30000000000000004,\"small\":1.0E-5,\"whole\":2.50e1,"
                + "\"a\":[1.5,1e+20,-7],\"o\":{\"big\":12345678.5,\"huge\":18446744073709551616}}\n";
        assertThat(json(EventJson.application(cri(log), (String) null)))
                .contains("\"log_processed\":{\"i\":42,\"f\":0.3,\"small\":1e-05,\"whole\":25.0,"
                        + "\"a\":[1.5,1e+20,-7],\"o\":{\"big\":12345678.5,\"huge\":1.844674407370955e+19}}");
    }

    private static LineRecord cri(String log) {
        return LineRecord.ofTexts("time", "2024-05-14T09:12:03.123456789Z", "stream", "stdout", "_p", "F", "log", log);
    }

    @Test
    void logProcessedKeepsTheLastOfARepeatedKeyAtItsPlace() {
        assertThat(json(EventJson.application(
                        cri("{\"level\":\"info\",\"msg\":\"a\",\"level\":\"warn\",\"n\":1e5}"), (String) null)))
                .contains("\"log_processed\":{\"msg\":\"a\",\"level\":\"warn\",\"n\":1}");
    }

    @Test
    void anEmptyJsonObjectAddsNoLogProcessed() {
        assertThat(EventJson.mergeLog("{}\n")).isNull();
        assertThat(json(EventJson.application(cri(" { } "), (String) null))).doesNotContain("log_processed");
        assertThat(EventJson.mergeLog("{\"o\":{}}").toString()).isEqualTo("{\"o\":{}}");
    }

    @Test
    void mergeLogIsDecidedByTheFirstNonBlankCharacter() {
        assertThat(EventJson.mergeLog(" \t\n{\"a\":1}\n").toString()).isEqualTo("{\"a\":1}");
        assertThat(EventJson.mergeLog("\u2003{\"a\":1}")).isNotNull();
        assertThat(EventJson.mergeLog(" \n ")).isNull();
        assertThat(EventJson.mergeLog("")).isNull();
        assertThat(EventJson.mergeLog(" x{\"a\":1}")).isNull();
    }

    /**
     * Events written one after another (the writer keeps its buffer between events, and renews it after a large
     * one) are each what Jackson writes for the record with the keys set on a copy of its tree: many generated
     * records with quotes, backslashes, control characters, non-ASCII, surrogate pairs and lone surrogates, JSON
     * logs (log_processed), a kubernetes key already in the record, and values up to 256 KiB.
     */
    @Test
    void eventsAreWhatJacksonWritesForTheSameTree() throws Exception {
        Random r = new Random(16);
        ObjectNode kubernetesTree =
                (ObjectNode) Json.MAPPER.readTree("{\"pod_name\":\"web-1\",\"labels\":{\"app\":\"a\\\"b\\u0001é😀\"}}");
        // as the keyed stage writes a pod's block, with the same mapper
        String kubernetes = Json.MAPPER.writeValueAsString(kubernetesTree);
        Map<String, String> attributes = Map.of(EventJson.AZ, "us-west-2a", EventJson.EC2_INSTANCE_ID, "i-1");
        for (int i = 0; i < 3_000; i++) {
            int size = i % 500 == 7 ? 256 * 1024 : i % 97 == 3 ? 70 * 1024 : r.nextInt(400);
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            String log = i % 5 == 0
                    ? "{\"msg\":\"" + text(r, size).replace("\"", "") + "\",\"n\":" + i + "}\n"
                    : text(r, size);
            record.put("log", log);
            record.put("stream", i % 2 == 0 ? "stdout" : "stderr");
            if (i % 7 == 0) {
                record.put("kubernetes", "already here");
            }
            record.put("time", text(r, 30));

            ObjectNode expected = record.deepCopy();
            ObjectNode processed = EventJson.mergeLog(log);
            if (processed != null) {
                expected.set("log_processed", processed);
            }
            expected.set("kubernetes", kubernetesTree);
            // byte for byte what the sink made of the text before: its UTF-8
            assertThat(EventJson.application(LineRecord.of(record), kubernetes))
                    .isEqualTo(Json.MAPPER.writeValueAsString(expected).getBytes(StandardCharsets.UTF_8));

            ObjectNode dataplane = record.deepCopy();
            dataplane.put(EventJson.AZ, "us-west-2a");
            dataplane.put(EventJson.EC2_INSTANCE_ID, "i-1");
            assertThat(EventJson.dataplaneTail(LineRecord.of(record), attributes))
                    .isEqualTo(Json.MAPPER.writeValueAsString(dataplane).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String text(Random r, int length) {
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            int kind = r.nextInt(40);
            if (kind == 0) {
                sb.append((char) r.nextInt(0x20));
            } else if (kind == 1) {
                sb.append("\"\\/".charAt(r.nextInt(3)));
            } else if (kind == 2) {
                sb.append((char) (0x80 + r.nextInt(0xD800 - 0x80)));
            } else if (kind == 3) {
                sb.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
            } else if (kind == 4) {
                sb.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate, as a JSON escape can make one
            } else {
                sb.append((char) (0x20 + r.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    /**
     * The systemd input's record (fields in the journal entry's order, a repeated one an array) through the modify
     * filters of dataplane-log.conf and host-log.conf (plugins/filter_modify/modify.c: Rename in place, then
     * Remove_regex), then the aws filter's keys.
     */
    @Test
    void journalRecordsKeepTheEntrysFieldOrderThroughTheModifyFilters() {
        JournalEntry e = JournalEntry.parse(("{\"__CURSOR\":\"c\",\"MESSAGE\":\"Started\",\"SYSLOG_PID\":\"1\","
                        + "\"_SYSTEMD_UNIT\":\"kubelet.service\",\"SYSLOG_IDENTIFIER\":\"systemd\",\"_HOSTNAME\":\"ip-1\","
                        + "\"MESSAGE\":\"again\",\"PRIORITY\":\"6\",\"_TRANSPORT\":\"stdout\"}")
                .getBytes(StandardCharsets.UTF_8));
        Map<String, String> aws = Map.of("az", "us-west-2a");
        assertThat(json(EventJson.dataplaneSystemd(e, aws)))
                .isEqualTo(
                        "{\"systemd_unit\":\"kubelet.service\",\"hostname\":\"ip-1\",\"message\":[\"Started\",\"again\"],"
                                + "\"az\":\"us-west-2a\"}");
        assertThat(json(EventJson.hostJournal(e, aws)))
                .isEqualTo("{\"pid\":\"1\",\"ident\":\"systemd\",\"host\":\"ip-1\",\"message\":[\"Started\",\"again\"],"
                        + "\"az\":\"us-west-2a\"}");
    }

    @Test
    void aJournalFieldThatIsNotUtf8IsWrittenAsFluentBitWritesItsBytes() {
        JournalEntry e = JournalEntry.parse(
                "{\"MESSAGE\":[255,104,105,106,107,108,0,27],\"_HOSTNAME\":\"h\"}".getBytes(StandardCharsets.UTF_8));
        // the ill-formed byte as its raw private-use character, NUL and ESC as escapes
        assertThat(json(EventJson.dataplaneSystemd(e, Map.of())))
                .isEqualTo("{\"message\":\"\ue0ffhijkl\\u0000\\u001b\",\"hostname\":\"h\"}");
    }

    // Merge_Log with the parser a fluentbit.io/parser annotation names (kubernetes.c merge_log_handler and
    // pack_map_content, v4.1.1; golden events, kubernetes block as Fluent Bit appends it last)

    private static final String KUBERNETES = "{\"pod_name\":\"web-1\",\"namespace_name\":\"shop\"}";
    private static final long RECORD_TIME =
            java.time.Instant.parse("2024-05-14T09:12:03.123Z").toEpochMilli();
    private static final dev.kubelogs.job.parse.Parsers PARSERS = dev.kubelogs.job.parse.Parsers.of(
            dev.kubelogs.job.parse.ParsersFile.parse("[PARSER]\nName syslog\nFormat regex\n"
                    + "Regex ^(?<time>[^ ]* {1,2}[^ ]* [^ ]*) (?<host>[^ ]*) (?<ident>[a-zA-Z0-9_\\/\\.\\-]*)"
                    + "(?:\\[(?<pid>[0-9]+)\\])?(?:[^\\:]*\\:)? *(?<message>.*)$\n"
                    + "Time_Key time\nTime_Format %b %d %H:%M:%S\n"
                    + "[PARSER]\nName json_ts\nFormat json\nTime_Key ts\nTime_Format %Y-%m-%dT%H:%M:%S.%L%z\n"
                    + "[PARSER]\nName words\nFormat regex\nRegex ^(?<first>\\S+) (?<rest>.*)$\n"
                    + "[PARSER]\nName maybe\nFormat regex\nRegex ^(?<a>x)?(?<b>y)?\n"));

    private static String withParser(LineRecord record, String parser, long[] time) {
        EventJson.Merged merged = EventJson.mergeLog(record, PARSERS.get(parser), RECORD_TIME);
        time[0] = merged.timeMillis();
        return json(EventJson.application(record, merged, KUBERNETES));
    }

    /** A matching regex: its groups as strings under log_processed, and the record's time becomes the parsed one. */
    @Test
    void anAnnotatedRegexParserFillsLogProcessedAndSetsTheEventTime() {
        long[] time = new long[1];
        assertThat(withParser(
                        cri("May 14 10:00:01 ip-10-0-0-1 sshd[4121]: Accepted publickey for ec2-user"), "syslog", time))
                .isEqualTo("{\"time\":\"2024-05-14T09:12:03.123456789Z\",\"stream\":\"stdout\",\"_p\":\"F\","
                        + "\"log\":\"May 14 10:00:01 ip-10-0-0-1 sshd[4121]: Accepted publickey for ec2-user\","
                        + "\"log_processed\":{\"host\":\"ip-10-0-0-1\",\"ident\":\"sshd\",\"pid\":\"4121\","
                        + "\"message\":\"Accepted publickey for ec2-user\"},"
                        + "\"kubernetes\":{\"pod_name\":\"web-1\",\"namespace_name\":\"shop\"}}");
        // Time_Format without a year: the record's year (Fluent Bit: the year of its clock when the filter runs)
        assertThat(time[0])
                .isEqualTo(java.time.Instant.parse("2024-05-14T10:00:01Z").toEpochMilli());
    }

    /** A parser that does not accept the log leaves the record as it is: no default JSON merge after it. */
    @Test
    void aParserThatDoesNotMatchLeavesTheRecordWithoutLogProcessed() {
        long[] time = new long[1];
        assertThat(withParser(cri("{\"level\":\"info\"}"), "syslog", time))
                .isEqualTo("{\"time\":\"2024-05-14T09:12:03.123456789Z\",\"stream\":\"stdout\",\"_p\":\"F\","
                        + "\"log\":\"{\\\"level\\\":\\\"info\\\"}\","
                        + "\"kubernetes\":{\"pod_name\":\"web-1\",\"namespace_name\":\"shop\"}}");
        assertThat(time[0]).isEqualTo(RECORD_TIME);
    }

    /** The json parser is the default merge plus Time_Key: the read time key leaves log_processed for the timestamp. */
    @Test
    void anAnnotatedJsonParserTakesItsTimeKey() {
        long[] time = new long[1];
        assertThat(withParser(
                        cri("{\"ts\":\"2024-05-14T09:00:00.250+02:00\",\"msg\":\"paid\\n\",\"n\":2}\n"),
                        "json_ts",
                        time))
                .isEqualTo("{\"time\":\"2024-05-14T09:12:03.123456789Z\",\"stream\":\"stdout\",\"_p\":\"F\","
                        + "\"log\":\"{\\\"ts\\\":\\\"2024-05-14T09:00:00.250+02:00\\\",\\\"msg\\\":\\\"paid\\\\n\\\",\\\"n\\\":2}\\n\","
                        + "\"log_processed\":{\"msg\":\"paid\",\"n\":2},"
                        + "\"kubernetes\":{\"pod_name\":\"web-1\",\"namespace_name\":\"shop\"}}");
        assertThat(time[0])
                .isEqualTo(java.time.Instant.parse("2024-05-14T07:00:00.250Z").toEpochMilli());
    }

    /**
     * A parser that reads no time: Fluent Bit stamps the record with its clock (flb_time_get); the record keeps its
     * own time here. String values are trimmed as the default merge trims them (Merge_Log_Trim).
     */
    @Test
    void aParserWithoutTimeKeepsTheRecordTimeAndTrimsValues() {
        long[] time = new long[1];
        assertThat(withParser(cri("GET /healthz\\n"), "words", time))
                .contains("\"log_processed\":{\"first\":\"GET\",\"rest\":\"/healthz\"},\"kubernetes\"");
        assertThat(time[0]).isEqualTo(RECORD_TIME);
    }

    /** A match with no non-empty group merges no key (log_buf_entries 0), as the default merge does with {}. */
    @Test
    void aMatchWithoutFieldsAddsNoLogProcessed() {
        long[] time = new long[1];
        assertThat(withParser(cri("zzz"), "maybe", time)).doesNotContain("log_processed");
        assertThat(time[0]).isEqualTo(RECORD_TIME);
    }

    /** Without a parser, the default merge and the record's own time, as before. */
    @Test
    void noParserIsTheDefaultMerge() {
        EventJson.Merged merged = EventJson.mergeLog(cri("{\"a\":\"b\\n\"}"), null, RECORD_TIME);
        assertThat(merged.processed().toString()).isEqualTo("{\"a\":\"b\"}");
        assertThat(merged.timeMillis()).isEqualTo(RECORD_TIME);
        assertThat(json(EventJson.application(cri("{\"a\":1}"), merged, KUBERNETES)))
                .isEqualTo(json(EventJson.application(cri("{\"a\":1}"), KUBERNETES))
                        .replace("{\"a\":1},", "{\"a\":\"b\"},"));
    }

    /** The event as text (the keyed stage writes it as UTF-8). */
    private static String json(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
