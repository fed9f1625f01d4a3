package dev.kubelogs.job.enrich;

import com.fasterxml.jackson.core.io.CharTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.Utf8Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Splits an event JSON that is over CloudWatch's event size into consecutive events that each fit, so a long
 * record is delivered whole instead of truncated. Every part is the same JSON object with its share of the
 * largest string field (normally {@code log}; {@code message} for host and journal records), cut between two
 * characters, and {@code "kubelogs_part": {"index": i, "count": n}} (i from 0) as its last key: concatenating
 * the field's values in index order gives back the whole text. {@code log_processed} is left out of the parts,
 * since it is {@code log} parsed and the parts together carry {@code log}.
 */
public final class EventParts {
    private EventParts() {}

    public static final String PART_KEY = "kubelogs_part";
    private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();

    /**
     * The event as one or more events of at most {@code maxEventBytes} UTF-8 bytes each; the event itself when it
     * fits. An event whose other fields alone take more than half the limit is returned whole: cutting it would
     * make a flood of parts, so the sink's oversize policy decides (the job's default dead-letters it whole).
     */
    public static List<String> split(String json, int maxEventBytes) {
        if (fits(json, maxEventBytes)) {
            return List.of(json);
        }
        ObjectNode event;
        try {
            JsonNode parsed = Json.MAPPER.readTree(json);
            if (!(parsed instanceof ObjectNode)) {
                return List.of(json);
            }
            event = (ObjectNode) parsed;
        } catch (IOException e) {
            return List.of(json);
        }
        String field = largestStringField(event);
        if (field == null) {
            return List.of(json);
        }
        String text = event.get(field).textValue();
        if ("log".equals(field)) {
            event.remove("log_processed");
        }
        event.put(field, "");
        event.set(PART_KEY, part(Integer.MAX_VALUE, Integer.MAX_VALUE));
        int budget = maxEventBytes - utf8Length(EventJson.write(event));
        if (budget < maxEventBytes / 2) {
            return List.of(json);
        }
        List<Integer> cuts = cuts(text, budget);
        List<String> parts = new ArrayList<>(cuts.size());
        int from = 0;
        for (int i = 0; i < cuts.size(); i++) {
            int to = cuts.get(i);
            event.put(field, text.substring(from, to));
            event.set(PART_KEY, part(i, cuts.size()));
            parts.add(EventJson.write(event));
            from = to;
        }
        return parts;
    }

    /** True when the event's UTF-8 size is within the limit; most events are decided by their length alone. */
    public static boolean fits(String json, int maxEventBytes) {
        // a char is at most 3 UTF-8 bytes (a surrogate pair is 4 for 2 chars)
        return json.length() <= maxEventBytes / 3 || utf8Length(json) <= maxEventBytes;
    }

    private static ObjectNode part(int index, int count) {
        ObjectNode part = JsonNodeFactory.instance.objectNode();
        part.put("index", index);
        part.put("count", count);
        return part;
    }

    private static String largestStringField(ObjectNode event) {
        String largest = null;
        int length = -1;
        for (Iterator<Map.Entry<String, JsonNode>> fields = event.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isTextual() && f.getValue().textValue().length() > length) {
                largest = f.getKey();
                length = f.getValue().textValue().length();
            }
        }
        return largest;
    }

    /**
     * The end index of each part of {@code text}: as many characters as fit {@code budget} bytes once JSON-escaped
     * and UTF-8 encoded, never between the two halves of a surrogate pair.
     */
    static List<Integer> cuts(String text, int budget) {
        List<Integer> cuts = new ArrayList<>();
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            int width = pair ? 2 : 1;
            int bytes = pair ? 12 : escapedUtf8Length(c);
            if (used + bytes > budget) {
                cuts.add(i);
                used = 0;
            }
            used += bytes;
            i += width;
        }
        if (cuts.isEmpty() || cuts.get(cuts.size() - 1) != text.length()) {
            cuts.add(text.length());
        }
        return cuts;
    }

    /**
     * Bytes one char takes inside a JSON string as the job's mapper writes it ({@code \n}-style escapes,
     * {@code \\u00xx} for other control characters and DEL, {@code \\uxxxx} for every other non-ASCII UTF-16 unit).
     */
    static int escapedUtf8Length(char c) {
        if (c < 128 && c != 0x7F) {
            int escape = ESCAPES[c];
            return escape == 0 ? 1 : escape > 0 ? 2 : 6;
        }
        // an ill-formed input byte goes out raw, as its private-use character's three UTF-8 bytes
        return Utf8Text.isInvalidByteChar(c) ? 3 : 6;
    }

    /** UTF-8 bytes of a string as the sink encodes it: a lone surrogate counts as the 3 bytes of U+FFFD. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
