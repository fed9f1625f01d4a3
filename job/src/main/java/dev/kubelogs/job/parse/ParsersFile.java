package dev.kubelogs.job.parse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Fluent Bit parsers file in the classic format ({@code Parsers_File}): {@code [PARSER]} sections of
 * {@code Key Value} lines, keys in any case, {@code #} comments. Each section becomes a {@link LogParser} as
 * src/flb_parser.c flb_parser_load_parser_definitions reads it: Name and Format are needed, Regex too for format
 * regex; Skip_Empty_Values defaults to on, Time_Keep to off; a key with an empty value counts as absent.
 *
 * <p>Anything this job does not do is an error naming it, never ignored: another section kind (such as
 * {@code [MULTILINE_PARSER]}), a format other than regex or json, Decode_Field, Decode_Field_As,
 * Time_System_Timezone, Time_Zone, Time_Strict Off, an unknown key, a repeated key, a {@code ${VAR}} (not expanded),
 * {@code @INCLUDE} / {@code @SET}, and a regex Java's engine cannot run ({@link OnigmoPattern}).
 */
public final class ParsersFile {
    private ParsersFile() {}

    private static final Set<String> KEYS = Set.of(
            "name",
            "format",
            "regex",
            "time_key",
            "time_format",
            "time_keep",
            "time_offset",
            "time_strict",
            "skip_empty_values",
            "types");

    /** The parsers of a file, in file order; an IOException naming the file, line and problem. */
    public static List<LogParser> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read: " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The parsers of a file's text; an IllegalArgumentException naming the line and problem. */
    public static List<LogParser> parse(String text) {
        List<LogParser> parsers = new ArrayList<>();
        Map<String, String> section = null;
        int sectionLine = 0;
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int lineNumber = n + 1;
            if (line.startsWith("[")) {
                if (section != null) {
                    parsers.add(parser(section, sectionLine));
                }
                if (!line.equalsIgnoreCase("[PARSER]")) {
                    throw new IllegalArgumentException(
                            "line " + lineNumber + ": section " + line + " is not supported (only [PARSER])");
                }
                section = new LinkedHashMap<>();
                sectionLine = lineNumber;
                continue;
            }
            if (line.startsWith("@")) {
                throw new IllegalArgumentException("line " + lineNumber + ": " + line.split("\\s+")[0]
                        + " is not supported (one self-contained file)");
            }
            if (section == null) {
                throw new IllegalArgumentException("line " + lineNumber + ": '" + line + "' is outside a [PARSER]");
            }
            String[] kv = line.split("\\s+", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? kv[1].strip() : "";
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("line " + lineNumber + ": key " + kv[0] + " is not supported");
            }
            if (section.containsKey(key)) {
                throw new IllegalArgumentException("line " + lineNumber + ": key " + kv[0] + " is repeated");
            }
            if (value.contains("${")) {
                throw new IllegalArgumentException(
                        "line " + lineNumber + ": " + kv[0] + " uses ${...}, which is not expanded here");
            }
            section.put(key, value);
        }
        if (section != null) {
            parsers.add(parser(section, sectionLine));
        }
        return parsers;
    }

    private static LogParser parser(Map<String, String> s, int line) {
        // flb_parser.c get_parser_key: an empty value is no value
        s.values().removeIf(String::isEmpty);
        String name = s.get("name");
        String where = "[PARSER] at line " + line + (name == null ? "" : " (" + name + ")") + ": ";
        if (name == null) {
            throw new IllegalArgumentException(where + "no Name");
        }
        String formatName = s.get("format");
        if (formatName == null) {
            throw new IllegalArgumentException(where + "no Format");
        }
        LogParser.Format format;
        if (formatName.equalsIgnoreCase("regex")) {
            format = LogParser.Format.REGEX;
        } else if (formatName.equalsIgnoreCase("json")) {
            format = LogParser.Format.JSON;
        } else {
            throw new IllegalArgumentException(where + "Format " + formatName + " is not supported (regex, json)");
        }
        try {
            OnigmoPattern regex = null;
            if (format == LogParser.Format.REGEX) {
                String pattern = s.get("regex");
                if (pattern == null) {
                    throw new IllegalArgumentException("no Regex");
                }
                regex = OnigmoPattern.compile(pattern);
            }
            if (!bool(s, "time_strict", true)) {
                throw new IllegalArgumentException("Time_Strict Off is not supported");
            }
            String timeFormat = s.get("time_format");
            ParserTime time = timeFormat == null ? null : new ParserTime(timeFormat, s.get("time_offset"));
            return new LogParser(
                    name,
                    format,
                    regex,
                    time,
                    s.get("time_key"),
                    bool(s, "time_keep", false),
                    bool(s, "skip_empty_values", true),
                    types(s.get("types")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    /** flb_utils_bool: true/on/yes and false/off/no in any case; anything else is an error here. */
    private static boolean bool(Map<String, String> s, String key, boolean absent) {
        String v = s.get(key);
        if (v == null) {
            return absent;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("on") || lower.equals("yes")) {
            return true;
        }
        if (lower.equals("false") || lower.equals("off") || lower.equals("no")) {
            return false;
        }
        throw new IllegalArgumentException(key + " '" + v + "' is not on/off");
    }

    /**
     * Types as flb_parser.c proc_types_str reads it: space-separated {@code key:type}; an entry without a colon is
     * skipped, an unknown type is string; the first entry of a key counts.
     */
    static Map<String, LogParser.FieldType> types(String types) {
        Map<String, LogParser.FieldType> out = new HashMap<>();
        if (types == null) {
            return out;
        }
        for (String entry : types.split(" ")) {
            int colon = entry.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String type = entry.substring(colon + 1).toLowerCase(Locale.ROOT);
            LogParser.FieldType t = switch (type) {
                case "integer" -> LogParser.FieldType.INTEGER;
                case "bool" -> LogParser.FieldType.BOOL;
                case "float" -> LogParser.FieldType.FLOAT;
                case "hex" -> LogParser.FieldType.HEX;
                default -> LogParser.FieldType.STRING;
            };
            out.putIfAbsent(entry.substring(0, colon), t);
        }
        return out;
    }
}
