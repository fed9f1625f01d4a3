package dev.kubelogs.collector.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads journalctl's export format ({@code --output=export}: per entry {@code NAME=value} lines, a value that is not
 * printable one-line UTF-8 as {@code NAME}, a little-endian 64-bit length and its bytes; a blank line ends the entry)
 * and writes each entry as the one-line JSON object the spool holds: its fields as members in the export's order —
 * the order {@code sd_journal_enumerate_data} gives them, which Fluent Bit's systemd input keeps — a repeated field
 * once per value, a value that is not UTF-8 as an array of its bytes (journalctl's JSON convention). journalctl's own
 * {@code --output=json} cannot serve: it merges a repeated field into one array and writes the fields in the order of
 * a hash table, which differs from run to run.
 */
final class JournalExport {
    private static final Logger LOG = LoggerFactory.getLogger(JournalExport.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** A binary value longer than this is left out of the entry (logged): the collector's heap is small. */
    static final long MAX_VALUE_BYTES = 64L * 1024 * 1024;

    private JournalExport() {}

    /**
     * Hands {@code handler} each complete entry of {@code in} as JSON until the stream ends (an unfinished last entry
     * is not handed on), or {@code stop} says so after an entry.
     */
    static void read(InputStream in, Journalctl.LineHandler handler, BooleanSupplier stop)
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
                writeField(entry, new String(bytes, 0, eq, StandardCharsets.ISO_8859_1), bytes, eq + 1);
                continue;
            }
            String name = new String(bytes, StandardCharsets.ISO_8859_1);
            byte[] size = input.readNBytes(8);
            if (size.length < 8) {
                return;
            }
            long length = ByteBuffer.wrap(size).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (length < 0 || length > MAX_VALUE_BYTES) {
                LOG.warn(
                        "journal field {} of {} bytes is over the collector's {} bytes: the entry is spooled without it",
                        name,
                        Long.toUnsignedString(length),
                        MAX_VALUE_BYTES);
                if (length < 0) {
                    throw new IOException("journalctl's export output has a field " + name + " of no valid length");
                }
                try {
                    input.skipNBytes(length);
                } catch (EOFException e) {
                    return;
                }
            } else {
                byte[] value = input.readNBytes((int) length);
                if (value.length < length) {
                    return;
                }
                writeField(entry, name, value, 0);
            }
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
    private static void writeField(JsonGenerator g, String name, byte[] bytes, int from) throws IOException {
        g.writeFieldName(name);
        ByteBuffer value = ByteBuffer.wrap(bytes, from, bytes.length - from);
        try {
            g.writeString(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(value)
                    .toString());
        } catch (CharacterCodingException e) {
            g.writeStartArray();
            for (int i = from; i < bytes.length; i++) {
                g.writeNumber(bytes[i] & 0xff);
            }
            g.writeEndArray();
        }
    }

    /** Reads up to the next newline (not kept) into {@code line}; false when the stream ends first. */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return true;
            }
            line.write(b);
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
