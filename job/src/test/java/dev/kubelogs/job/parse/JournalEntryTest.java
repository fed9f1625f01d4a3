package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record Fluent Bit's systemd input makes of a journal entry (plugins/in_systemd/systemd.c). */
class JournalEntryTest {
    private static JournalEntry entry(String json) {
        return JournalEntry.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> names(JournalEntry e) {
        return e.record().stream().map(JournalEntry.Field::name).toList();
    }

    @Test
    void theRecordKeepsTheEntrysFieldOrderWithoutJournalctlsOwnFields() {
        JournalEntry e = entry("{\"__CURSOR\":\"s=1\",\"__REALTIME_TIMESTAMP\":\"1714557601123456\","
                + "\"__MONOTONIC_TIMESTAMP\":\"1\",\"_BOOT_ID\":\"b\",\"MESSAGE\":\"first\",\"_HOSTNAME\":\"ip-1\","
                + "\"_SYSTEMD_UNIT\":\"kubelet.service\",\"PRIORITY\":\"6\"}");
        assertThat(names(e)).containsExactly("_BOOT_ID", "MESSAGE", "_HOSTNAME", "_SYSTEMD_UNIT", "PRIORITY");
        assertThat(e.timeMillis()).isEqualTo(1_714_557_601_123L);
        assertThat(e.first("MESSAGE")).isEqualTo("first");
        assertThat(e.first("SYSLOG_PID")).isNull();
    }

    @Test
    void aRepeatedFieldIsOneArrayInThePlaceOfItsSecondOccurrenceWithItsFirstValueCutAtANul() {
        JournalEntry e = entry("{\"FOO\":\"a\\u0000b\",\"MESSAGE\":\"m\",\"FOO\":\"c\",\"BAR\":\"x\",\"FOO\":\"d\"}");
        assertThat(names(e)).containsExactly("MESSAGE", "FOO", "BAR");
        assertThat(e.recordValue("FOO")).isEqualTo(List.of("a", "c", "d"));
        assertThat(e.values("FOO")).containsExactly("a\0b", "c", "d");
        assertThat(e.first("FOO")).isEqualTo("a\0b");
    }

    @Test
    void journalctlsJsonArraysAreARepeatedFieldsValuesOrOneValuesBytes() {
        // MESSAGE: bytes that are not UTF-8 (0xff) with an escape character; FOO: two values, one of them bytes
        JournalEntry e = entry("{\"MESSAGE\":[27,91,109,104,105,255],\"FOO\":[\"a\",[98,10,99]],\"N\":null}");
        assertThat(e.recordValue("MESSAGE")).isEqualTo("\u001b[mhi\ue0ff");
        assertThat(e.recordValue("FOO")).isEqualTo(List.of("a", "b\nc"));
        assertThat(names(e)).containsExactly("MESSAGE", "FOO");
    }

    @Test
    void whatIsNotAJsonObjectIsNoEntry() {
        assertThat(entry("[1]")).isNull();
        assertThat(entry("{\"MESSAGE\":")).isNull();
        assertThat(entry("{}").record()).isEmpty();
        assertThat(entry("{}").timeMillis()).isEqualTo(-1L);
    }
}
