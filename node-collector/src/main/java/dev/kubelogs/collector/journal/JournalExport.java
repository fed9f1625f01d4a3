package dev.kubelogs.collector.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kubelogs.collector.metrics.Counter;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Reads journalctl's export format ({@code --output=export}: per entry {@code NAME=value} lines, a value that is not
 * printable one-line UTF-8 as {@code NAME}, a little-endian 64-bit length and its bytes; a blank line ends the entry)
 * and writes each entry as the one-line JSON object the spool holds: its fields as members in the export's order —
 * the order {@code sd_journal_enumerate_data} gives them, which Fluent Bit's systemd input keeps — a repeated field
 * once per value, a value that is not UTF-8 as an array of its bytes (journalctl's JSON convention). journalctl's own
 * {@code --output=json} cannot serve: it merges a repeated field into one array and writes the fields in the order of
 * a hash table, which differs from run to run.
 *
 * <p>A field whose {@code NAME=value} is longer than 64 KiB is cut to its first 64 KiB, counted: Fluent Bit's systemd
 * input (plugins/in_systemd/systemd.c) never sets libsystemd's data threshold, whose default is 64 KiB, so
 * {@code sd_journal_enumerate_data} returns a field journald stored compressed (any of 512 bytes or more that
 * compresses) cut there (sd-journal.c return_data → decompress_blob with the threshold as its limit: zstd and xz stop
 * at it), while journalctl's export sets no threshold. A field journald stored uncompressed (its compression was off,
 * or the value did not compress) would come whole to Fluent Bit; it is cut here too.
 */
final class JournalExport {
    private static final JsonFactory JSON = new JsonFactory();
    /** libsystemd's default data threshold: the most of a field's {@code NAME=value} Fluent Bit's input gets. */
    static final int DATA_THRESHOLD = 64 * 1024;

    private JournalExport() {}

    /**
     * Hands {@code handler} each complete entry of {@code in} as JSON until the stream ends (an unfinished last entry
     * is not handed on), or {@code stop} says so after an entry.
     */
    static void read(InputStream in, Journalctl.LineHandler handler, BooleanSupplier stop, Counter fieldsCut)
            throws IOException, InterruptedException {
        BufferedInputStream input = new BufferedInputStream(in, 64 * 1024);
        ByteArrayOutputStream json = new ByteArrayOutputStream(1024);
        JsonGenerator entry = null;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        while (true) {
            if (!readLine(input, line)) {
                return;
            }
            if (line.size() == 0) {
                if (entry != null) {
                    entry.writeEndObject();
                    entry.close();
                    handler.line(json.toByteArray());
                    json.reset();
                    entry = null;
                    if (stop.getAsBoolean()) {
                        return;
                    }
                }
                continue;
            }
            if (entry == null) {
                entry = JSON.createGenerator(json);
                entry.writeStartObject();
            }
            byte[] bytes = line.toByteArray();
            int eq = indexOf(bytes, (byte) '=');
            if (eq >= 0) {
                // readLine kept one byte more than the threshold of a longer line
                int end = Math.min(bytes.length, DATA_THRESHOLD);
                if (end < bytes.length) {
                    fieldsCut.inc();
                }
                writeField(entry, new String(bytes, 0, eq, StandardCharsets.ISO_8859_1), bytes, eq + 1, end);
                continue;
            }
            String name = new String(bytes, StandardCharsets.ISO_8859_1);
            byte[] size = input.readNBytes(8);
            if (size.length < 8) {
                return;
            }
            long length = ByteBuffer.wrap(size).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (length < 0) {
                throw new IOException("journalctl's export output has a field " + name + " of no valid length");
            }
            int kept = (int) Math.min(length, Math.max(0, DATA_THRESHOLD - bytes.length - 1));
            byte[] value = input.readNBytes(kept);
            if (value.length < kept) {
                return;
            }
            if (kept < length) {
                fieldsCut.inc();
                try {
                    input.skipNBytes(length - kept);
                } catch (EOFException e) {
                    return;
                }
            }
            writeField(entry, name, value, 0, value.length);
            int end = input.read();
            if (end != '\n') {
                if (end < 0) {
                    return;
                }
                throw new IOException("journalctl's export output has no newline after the binary field " + name);
            }
        }
    }

    /** One field as a JSON member: a string when the value is UTF-8, else the array of its bytes. */
    private static void writeField(JsonGenerator g, String name, byte[] bytes, int from, int to) throws IOException {
        g.writeFieldName(name);
        ByteBuffer value = ByteBuffer.wrap(bytes, from, to - from);
        try {
            g.writeString(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(value)
                    .toString());
        } catch (CharacterCodingException e) {
            g.writeStartArray();
            for (int i = from; i < to; i++) {
                g.writeNumber(bytes[i] & 0xff);
            }
            g.writeEndArray();
        }
    }

    /**
     * Reads up to the next newline (not kept) into {@code line}, which keeps at most one byte more than the data
     * threshold (a longer field is cut there anyway); false when the stream ends first.
     */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return true;
            }
            if (line.size() <= DATA_THRESHOLD) {
                line.write(b);
            }
        }
        return false;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
