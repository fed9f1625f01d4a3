package dev.kubelogs.collector.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.collector.metrics.Counter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalExportTest {
    private final Counter fieldsCut = new Counter();

    private List<String> read(byte[] export, int stopAfter) throws Exception {
        List<String> entries = new ArrayList<>();
        JournalExport.read(
                oneByteAtATime(export),
                json -> entries.add(new String(json, StandardCharsets.UTF_8)),
                () -> entries.size() >= stopAfter,
                fieldsCut);
        return entries;
    }

    private static byte[] binaryField(String name, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((name + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(value.length)
                .array());
        out.writeBytes(value);
        out.write('\n');
        return out.toByteArray();
    }

    @Test
    void eachEntryIsOneJsonObjectWithItsFieldsInOrderAndRepeatedFieldsKept() throws Exception {
        String export = "__CURSOR=s=1;i=1\n_HOSTNAME=ip-1\nMESSAGE=first\nFOO=a\nFOO=b\n\n"
                + "__CURSOR=s=1;i=2\nMESSAGE=caf\u00e9 \"q\"\n\n";
        assertThat(read(export.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE))
                .containsExactly(
                        "{\"__CURSOR\":\"s=1;i=1\",\"_HOSTNAME\":\"ip-1\",\"MESSAGE\":\"first\",\"FOO\":\"a\",\"FOO\":\"b\"}",
                        "{\"__CURSOR\":\"s=1;i=2\",\"MESSAGE\":\"caf\u00e9 \\\"q\\\"\"}");
    }

    @Test
    void aBinaryFieldIsItsTextWhenItIsUtf8AndItsBytesWhenNot() throws Exception {
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        export.writeBytes("__CURSOR=c\n".getBytes(StandardCharsets.US_ASCII));
        export.writeBytes(binaryField("MESSAGE", "two\nlines".getBytes(StandardCharsets.UTF_8)));
        export.writeBytes(binaryField("RAW", new byte[] {104, (byte) 0xff, 0, 10}));
        export.writeBytes("PRIORITY=6\n\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(read(export.toByteArray(), Integer.MAX_VALUE))
                .containsExactly(
                        "{\"__CURSOR\":\"c\",\"MESSAGE\":\"two\\nlines\",\"RAW\":[104,255,0,10],\"PRIORITY\":\"6\"}");
    }

    @Test
    void anUnfinishedLastEntryIsNotHandedOnAndStopIsHeardAfterAnEntry() throws Exception {
        byte[] export = "A=1\n\nA=2\n\nA=3\n".getBytes(StandardCharsets.UTF_8);
        assertThat(read(export, Integer.MAX_VALUE)).containsExactly("{\"A\":\"1\"}", "{\"A\":\"2\"}");
        assertThat(read(export, 1)).containsExactly("{\"A\":\"1\"}");
        byte[] cutInBinary = binaryField("RAW", new byte[] {1, 2, 3});
        byte[] cut = new byte[cutInBinary.length - 2];
        System.arraycopy(cutInBinary, 0, cut, 0, cut.length);
        assertThat(read(cut, Integer.MAX_VALUE)).isEmpty();
    }

    /**
     * Fluent Bit's systemd input gets a field from sd_journal_enumerate_data under libsystemd's default 64 KiB data
     * threshold (plugins/in_systemd/systemd.c sets none): a longer NAME=value, stored compressed, comes cut to its
     * first 64 KiB, even inside a character. Text and binary fields alike; each cut is counted.
     */
    @Test
    void aFieldLongerThanTheDataThresholdIsCutToItsFirst64KiBAndCounted() throws Exception {
        String exact = "A=" + "a".repeat(JournalExport.DATA_THRESHOLD - 2);
        String longer = "MESSAGE=" + "m".repeat(100_000);
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        byte[] binary = new byte[70_000];
        java.util.Arrays.fill(binary, (byte) 'b');
        // the threshold falls on the second byte of a three-byte character
        int cutAt = JournalExport.DATA_THRESHOLD - "RAW=".length() - 2;
        System.arraycopy(euro, 0, binary, cutAt, 3);
        binary[0] = 0;
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        export.writeBytes((exact + "\n" + longer + "\n").getBytes(StandardCharsets.UTF_8));
        export.writeBytes(binaryField("RAW", binary));
        export.writeBytes("PRIORITY=6\n\n".getBytes(StandardCharsets.US_ASCII));

        List<String> entries = read(export.toByteArray(), Integer.MAX_VALUE);

        assertThat(entries).hasSize(1);
        JsonNode entry = new ObjectMapper().readTree(entries.get(0));
        assertThat(entry.get("A").textValue()).isEqualTo(exact.substring(2));
        assertThat(entry.get("MESSAGE").textValue()).isEqualTo(longer.substring(8, JournalExport.DATA_THRESHOLD));
        JsonNode raw = entry.get("RAW");
        assertThat(raw.size()).isEqualTo(JournalExport.DATA_THRESHOLD - "RAW=".length());
        assertThat(raw.get(0).intValue()).isZero();
        assertThat(raw.get(cutAt).intValue()).isEqualTo(0xe2);
        assertThat(raw.get(cutAt + 1).intValue()).isEqualTo(0x82);
        assertThat(entry.get("PRIORITY").textValue()).isEqualTo("6");
        assertThat(fieldsCut.getLongValue()).isEqualTo(2);
    }

    /** A stream that returns one byte per read, as a pipe may: entries span reads. */
    private static InputStream oneByteAtATime(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }
}
