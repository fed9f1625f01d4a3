package dev.kubelogs.job.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Recognises Docker json-file and CRI lines, as Fluent Bit's {@code multiline.parser docker, cri} does,
 * and packs anything else raw as {@code {"log": "<line>"}} like in_tail.
 */
public final class ContainerLineParser {
    private ContainerLineParser() {}

    public static ContainerLine parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    /** The line at {@code bytes[from, from + length)}: lines of a batch are parsed where they lie. */
    public static ContainerLine parse(byte[] bytes, int from, int length) {
        length = InTailLines.withoutCarriageReturn(bytes, from, length);
        boolean json = length > 0 && bytes[from] == '{';
        boolean surrogateEscape = json && hasSurrogateEscape(bytes, from, length);
        if (json && !surrogateEscape) {
            ContainerLine docker = parseDocker(bytes, from, length);
            if (docker != null) {
                return docker;
            }
        }
        String text = Utf8Text.decode(bytes, from, length);
        if (json) {
            // invalid UTF-8 (now one private-use character per byte, as Fluent Bit writes it), a raw control
            // character such as NUL, or an escaped surrogate, which Fluent Bit unescapes to bytes that are not UTF-8
            ContainerLine docker =
                    parseDocker(surrogateEscape ? FluentBitJsonReader.surrogateEscapesAsBytes(text) : text);
            if (docker != null) {
                return docker;
            }
        }
        ContainerLine cri = parseCri(text);
        return cri != null ? cri : raw(text);
    }

    /**
     * Whether the line holds a JSON escape of a UTF-16 surrogate (backslash, 'u', 'd' or 'D', then 8-F). The docker
     * parser's JSON strings are unescaped by flb_unescape_string_utf8 (src/flb_pack.c pack_string_token, from
     * src/flb_parser_json.c flb_parser_json_do), one escape at a time, so an escaped pair is never joined into its
     * character as Jackson joins it ({@link FluentBitJsonReader#surrogateEscapesAsBytes}). An escaped backslash before
     * "ud83d" counts too: the slower path it selects reads it right.
     */
    static boolean hasSurrogateEscape(byte[] bytes, int from, int length) {
        int end = from + length - 3;
        int i = from;
        // eight starts at a time: a word is looked at byte by byte only where a backslash, a 'u' after it and a 'd'
        // after that may stand (the zero-byte test below may see one that is not there, never miss one that is)
        for (; i + 11 <= from + length; i += 8) {
            long backslashes = zeroBytes((long) WORDS.get(bytes, i) ^ BACKSLASHES);
            long us = zeroBytes((long) WORDS.get(bytes, i + 1) ^ US);
            long ds = zeroBytes(((long) WORDS.get(bytes, i + 2) | LOWER_CASE) ^ DS);
            if ((backslashes & us & ds) != 0) {
                for (int k = i; k < i + 8; k++) {
                    if (surrogateEscapeAt(bytes, k)) {
                        return true;
                    }
                }
            }
        }
        for (; i < end; i++) {
            if (surrogateEscapeAt(bytes, i)) {
                return true;
            }
        }
        return false;
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long US = 0x7575757575757575L;
    private static final long DS = 0x6464646464646464L;
    private static final long LOWER_CASE = 0x2020202020202020L;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** The high bit set in each byte of {@code x} that is zero (and maybe in a byte above one: a borrow). */
    private static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGH_BITS;
    }

    /** Whether the four bytes from {@code i} are a backslash, 'u', 'd' or 'D', then 8-F (either case). */
    private static boolean surrogateEscapeAt(byte[] bytes, int i) {
        if (bytes[i] == '\\' && bytes[i + 1] == 'u' && (bytes[i + 2] | 0x20) == 'd') {
            int unitDigit = bytes[i + 3] | 0x20;
            return (unitDigit >= '8' && unitDigit <= '9') || (unitDigit >= 'a' && unitDigit <= 'f');
        }
        return false;
    }

    /** Docker json-file: {@code {"log":"text\n","stream":"stdout","time":"..."}}; a log without \n is a 16 KiB piece. */
    static ContainerLine parseDocker(byte[] bytes) {
        return parseDocker(bytes, 0, bytes.length);
    }

    static ContainerLine parseDocker(byte[] bytes, int from, int length) {
        try {
            LineRecord record;
            try (JsonParser parser = Json.MAPPER.createParser(bytes, from, length)) {
                // token by token into the members the tree reader would give; null for trailing text, which the
                // tree reader takes: its answer is the rule
                record = LineRecord.read(parser);
            }
            return record != null ? docker(record) : docker(Json.MAPPER.readTree(bytes, from, length));
        } catch (IOException e) {
            return null;
        }
    }

    /** The lenient second try, on the decoded text. */
    private static ContainerLine parseDocker(String text) {
        try {
            return docker(Json.LENIENT.readTree(text));
        } catch (IOException e) {
            return null;
        }
    }

    private static ContainerLine docker(JsonNode node) {
        return node instanceof ObjectNode tree ? docker(LineRecord.of(tree)) : null;
    }

    private static ContainerLine docker(LineRecord record) {
        String log = record.text("log");
        if (log == null) {
            return null;
        }
        String stream = asText(record, "stream", "");
        long time = Timestamps.zoneIgnoredToMillis(asText(record, "time", null));
        return new ContainerLine(ContainerLine.Format.DOCKER, record, stream, log, !log.endsWith("\n"), time);
    }

    /** {@code path(name).asText(absent)} of the record's tree: a value that is not a string as Jackson gives its text. */
    private static String asText(LineRecord record, String name, String absent) {
        String text = record.text(name);
        if (text != null) {
            return text;
        }
        JsonNode value = record.get(name);
        return value == null ? absent : value.asText(absent);
    }

    /**
     * CRI: {@code <time> <stdout|stderr> <P|F> <log>} — the same shape as Fluent Bit's regex
     * {@code ^(?<time>.+?) (?<stream>stdout|stderr) (?<_p>F|P) (?<log>.*)$}.
     */
    static ContainerLine parseCri(String line) {
        int from = 0;
        while (true) {
            int space = line.indexOf(' ', from);
            if (space <= 0) {
                return null;
            }
            // the lazy time group: the first space followed by "stdout " or "stderr " and "P "/"F "
            ContainerLine parsed = criAfterTime(line, space);
            if (parsed != null) {
                return parsed;
            }
            from = space + 1;
        }
    }

    private static ContainerLine criAfterTime(String line, int space) {
        int streamStart = space + 1;
        String stream;
        if (line.startsWith("stdout ", streamStart)) {
            stream = "stdout";
        } else if (line.startsWith("stderr ", streamStart)) {
            stream = "stderr";
        } else {
            return null;
        }
        int tagPos = streamStart + 7;
        if (line.length() < tagPos + 2 || line.charAt(tagPos + 1) != ' ') {
            return null;
        }
        char tag = line.charAt(tagPos);
        if (tag != 'P' && tag != 'F') {
            return null;
        }
        String time = line.substring(0, space);
        String log = line.substring(tagPos + 2);
        LineRecord record = LineRecord.ofTexts("time", time, "stream", stream, "_p", String.valueOf(tag), "log", log);
        return new ContainerLine(
                ContainerLine.Format.CRI, record, stream, log, tag == 'P', Timestamps.rfc3339ToMillis(time));
    }

    public static ContainerLine raw(String text) {
        return new ContainerLine(ContainerLine.Format.RAW, LineRecord.of("log", text), "", text, false, -1L);
    }
}
