package dev.kubelogs.job.enrich;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kubelogs.job.parse.FluentBitJsonReader;
import dev.kubelogs.job.parse.FluentBitNumbers;
import dev.kubelogs.job.parse.Json;
import java.io.IOException;
import java.util.Arrays;

/**
 * Merge_Log's default JSON merge written straight into the event: the log's JSON object is read token by token and
 * copied as the value of {@code log_processed}, the bytes {@link EventJson#mergeLog(String)}'s tree would be written
 * as, without the tree. It takes the common case only: a log that is broken JSON, an empty object, or an object with a
 * repeated key (at any depth) stops the copy with {@link NotMergeable}, and the event is written again from the tree,
 * whose answer is the rule for those.
 */
final class MergedLogWriter {
    private MergedLogWriter() {}

    /** The copy stopped half-way: the event's writer is left inside the value, so the event is written anew. */
    static final class NotMergeable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private NotMergeable() {
            super("the log is not an object this copy takes", null, false, false);
        }
    }

    private static final NotMergeable NOT_MERGEABLE = new NotMergeable();

    /** Whether the log's first non-blank character opens an object: only then can Merge_Log take it. */
    static boolean opensObject(String log) {
        int first = 0;
        while (first < log.length() && Character.isWhitespace(log.charAt(first))) {
            first++;
        }
        return first < log.length() && log.charAt(first) == '{';
    }

    /**
     * Writes the log's object as {@code log_processed}'s value: top-level string values trimmed (Merge_Log_Trim),
     * numbers as Fluent Bit writes them, a JSON escape of a surrogate as the bytes Fluent Bit makes of it.
     *
     * @throws NotMergeable where the tree must decide (see the class comment)
     */
    static void write(String log, JsonGenerator g) {
        try (JsonParser parser = Json.MAPPER.createParser(FluentBitJsonReader.surrogateEscapesAsBytes(stripped(log)))) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME) {
                throw NOT_MERGEABLE; // an empty object merges nothing
            }
            Names names = NAMES.get();
            names.clear();
            names.openObject();
            g.writeStartObject();
            int depth = 1;
            JsonToken token = JsonToken.FIELD_NAME;
            while (true) {
                depth += copy(parser, token, depth, names, g);
                if (depth == 0) {
                    break;
                }
                token = parser.nextToken();
                if (token == null) {
                    throw NOT_MERGEABLE;
                }
            }
            if (parser.nextToken() != null) {
                throw NOT_MERGEABLE;
            }
        } catch (IOException e) {
            throw NOT_MERGEABLE;
        }
    }

    /** Copies one token; returns how it changes the depth. */
    private static int copy(JsonParser parser, JsonToken token, int depth, Names names, JsonGenerator g)
            throws IOException {
        switch (token) {
            case START_OBJECT:
                names.openObject();
                g.writeStartObject();
                return 1;
            case END_OBJECT:
                names.closeObject();
                g.writeEndObject();
                return -1;
            case START_ARRAY:
                g.writeStartArray();
                return 1;
            case END_ARRAY:
                g.writeEndArray();
                return -1;
            case FIELD_NAME:
                String name = parser.currentName();
                // a repeated key ends the copy: Fluent Bit keeps the last one at its own place, which the copy passed
                names.add(name);
                g.writeFieldName(name);
                return 0;
            case VALUE_STRING:
                char[] text = parser.getTextCharacters();
                int offset = parser.getTextOffset();
                int length = parser.getTextLength();
                // depth 1 is inside the log's object: its own string values are trimmed, nested ones are not
                g.writeString(text, offset, depth == 1 ? trimmedLength(text, offset, length) : length);
                return 0;
            case VALUE_NUMBER_INT:
                if (parser.getTextLength() <= MAX_DIGITS_WRITTEN_AS_READ && !isMinusZero(parser)) {
                    // what the tree writes of a 64-bit integer are its digits as read: JSON allows no leading zero
                    g.writeRawValue(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    return 0;
                }
                JsonParser.NumberType type = parser.getNumberType();
                if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                    g.writeNumber(parser.getLongValue());
                } else {
                    g.writeRawValue(FluentBitNumbers.writeToken(parser.getText()));
                }
                return 0;
            case VALUE_NUMBER_FLOAT:
                g.writeRawValue(FluentBitNumbers.writeToken(parser.getText()));
                return 0;
            case VALUE_TRUE:
            case VALUE_FALSE:
                g.writeBoolean(token == JsonToken.VALUE_TRUE);
                return 0;
            case VALUE_NULL:
                g.writeNull();
                return 0;
            default:
                throw NOT_MERGEABLE;
        }
    }

    /** An integer token this long (a sign and digits) is a 64-bit integer. */
    private static final int MAX_DIGITS_WRITTEN_AS_READ = 18;

    /** "-0", which the tree reads as the integer 0 and writes so. */
    private static boolean isMinusZero(JsonParser parser) throws IOException {
        char[] text = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        return parser.getTextLength() == 2 && text[offset] == '-' && text[offset + 1] == '0';
    }

    private static final ThreadLocal<Names> NAMES = ThreadLocal.withInitial(Names::new);

    /**
     * The member names of the objects the copy is inside, to find a repeated one. A log's objects have a few members
     * each, for which a scan is cheaper than the parser's own duplicate check (a hash set per object); an object with
     * more stops the copy.
     */
    static final class Names {
        static final int MAX_MEMBERS = 64;

        private String[] names = new String[16];
        private int size;
        private int[] objectStarts = new int[8];
        private int depth;

        void clear() {
            Arrays.fill(names, 0, size, null);
            size = 0;
            depth = 0;
        }

        void openObject() {
            if (depth == objectStarts.length) {
                objectStarts = Arrays.copyOf(objectStarts, depth * 2);
            }
            objectStarts[depth++] = size;
        }

        void closeObject() {
            int start = objectStarts[--depth];
            Arrays.fill(names, start, size, null);
            size = start;
        }

        /** Adds a member name of the innermost object; NotMergeable when it is there already or the object is large. */
        void add(String name) {
            int start = objectStarts[depth - 1];
            if (size - start >= MAX_MEMBERS) {
                throw NOT_MERGEABLE;
            }
            for (int i = start; i < size; i++) {
                // the parser gives names of the same text as one canonical String, mostly
                if (names[i] == name || names[i].equals(name)) {
                    throw NOT_MERGEABLE;
                }
            }
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
            }
            names[size++] = name;
        }
    }

    /**
     * The log without the blanks around it, as {@code String.strip} leaves it; the log itself when they are all blanks
     * a JSON reader skips (space, tab, CR, LF: a Docker line's log ends in a newline), so no copy is made.
     */
    static String stripped(String log) {
        int start = 0;
        int end = log.length();
        boolean jsonBlanksOnly = true;
        while (start < end && Character.isWhitespace(log.charAt(start))) {
            jsonBlanksOnly &= isJsonBlank(log.charAt(start));
            start++;
        }
        while (end > start && Character.isWhitespace(log.charAt(end - 1))) {
            jsonBlanksOnly &= isJsonBlank(log.charAt(end - 1));
            end--;
        }
        return jsonBlanksOnly ? log : log.substring(start, end);
    }

    private static boolean isJsonBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /**
     * Fluent Bit's Merge_Log_Trim (filter_kubernetes value_trim_size) on a range of characters, exactly: from the end,
     * drop newlines and the two-character escapes backslash-n / backslash-r, stop at anything else (a bare carriage
     * return stays), and never look at the first character (a value that is only "\n" stays).
     */
    static int trimmedLength(char[] v, int offset, int length) {
        int size = length;
        for (int i = offset + length - 1; i > offset; i--) {
            char c = v[i];
            if (c == '\n') {
                size -= 1;
                continue;
            }
            if (v[i - 1] == '\\' && (c == 'n' || c == 'r')) {
                size -= 2;
                i--;
            } else {
                break;
            }
        }
        return size;
    }
}
