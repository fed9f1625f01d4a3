package dev.kubelogs.collector.journal;

import static org.assertj.core.api.Assertions.assertThat;

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
    private static List<String> read(byte[] export, int stopAfter) throws Exception {
        List<String> entries = new ArrayList<>();
        JournalExport.read(
                oneByteAtATime(export),
                json -> entries.add(new String(json, StandardCharsets.UTF_8)),
                () -> entries.size() >= stopAfter);
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
