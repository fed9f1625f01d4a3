package dev.kubelogs.job.metrics.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML or JSON document read into a tree that remembers where each value came from (file, line, key path), so
 * that every config error can name them. Duplicate keys are errors (as Prometheus' strict YAML reading makes them).
 */
final class ConfigNode {
    enum Kind {
        MAP,
        LIST,
        SCALAR,
        NULL
    }

    private static final Set<String> YAML_TRUE =
            Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
    private static final Set<String> YAML_FALSE =
            Set.of("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");

    private final Kind kind;
    private final String file;
    private final int line;
    private final String path;
    private final Map<String, ConfigNode> entries;
    private final List<ConfigNode> items;
    private final String scalar;

    private ConfigNode(
            Kind kind,
            String file,
            int line,
            String path,
            Map<String, ConfigNode> entries,
            List<ConfigNode> items,
            String scalar) {
        this.kind = kind;
        this.file = file;
        this.line = line;
        this.path = path;
        this.entries = entries;
        this.items = items;
        this.scalar = scalar;
    }

    /** Reads {@code text} (one document) with a parser from {@code factory}; {@code file} names it in errors. */
    static ConfigNode parse(JsonFactory factory, String text, String file) {
        try (JsonParser parser = factory.createParser(text)) {
            return read(parser, file);
        } catch (IOException e) {
            throw new MetricsConfigException(file, 0, "", "cannot be read: " + e.getMessage());
        }
    }

    /** Reads one document from {@code parser}; an empty document is a {@link Kind#NULL} node. */
    static ConfigNode read(JsonParser parser, String file) {
        try {
            JsonToken t = parser.nextToken();
            if (t == null) {
                return new ConfigNode(Kind.NULL, file, 1, "", null, null, null);
            }
            return read(parser, file, "", parser.currentTokenLocation().getLineNr());
        } catch (JsonProcessingException e) {
            int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
            throw new MetricsConfigException(file, line, "", "cannot be read: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MetricsConfigException(file, 0, "", "cannot be read: " + e.getMessage());
        }
    }

    private static ConfigNode read(JsonParser p, String file, String path, int line) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = p.currentTokenLocation().getLineNr();
                String childPath = path.isEmpty() ? key : path + "." + key;
                p.nextToken();
                ConfigNode child = read(p, file, childPath, keyLine);
                if (entries.put(key, child) != null) {
                    throw new MetricsConfigException(file, keyLine, childPath, "duplicate key");
                }
            }
            return new ConfigNode(Kind.MAP, file, line, path, entries, null, null);
        }
        if (t == JsonToken.START_ARRAY) {
            List<ConfigNode> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(
                        p,
                        file,
                        path + "[" + items.size() + "]",
                        p.currentTokenLocation().getLineNr()));
            }
            return new ConfigNode(Kind.LIST, file, line, path, null, items, null);
        }
        if (t == JsonToken.VALUE_NULL) {
            return new ConfigNode(Kind.NULL, file, line, path, null, null, null);
        }
        return new ConfigNode(Kind.SCALAR, file, line, path, null, null, p.getText());
    }

    Kind kind() {
        return kind;
    }

    String file() {
        return file;
    }

    int line() {
        return line;
    }

    String path() {
        return path;
    }

    boolean isNull() {
        return kind == Kind.NULL;
    }

    /** {@code message} prefixed with where this node is: {@code file:line: path message}. */
    String located(String message) {
        return file + ":" + line + ": " + path + " " + message;
    }

    MetricsConfigException error(String message) {
        return new MetricsConfigException(file, line, path, message);
    }

    /**
     * Checks this map's keys: every key must be in {@code accepted} or {@code warned}; a key in {@code refused} gets
     * its reason, any other key is unknown. Returns the present {@code warned} keys.
     */
    List<ConfigNode> checkKeys(Set<String> accepted, Set<String> warned, Map<String, String> refused) {
        List<ConfigNode> present = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> e : map().entrySet()) {
            String key = e.getKey();
            if (accepted.contains(key)) {
                continue;
            }
            if (warned.contains(key)) {
                present.add(e.getValue());
                continue;
            }
            String reason = refused.get(key);
            throw e.getValue().error(reason != null ? reason : "unknown key");
        }
        return present;
    }

    /** The entries of a map; an empty map for a null node. */
    Map<String, ConfigNode> map() {
        if (kind == Kind.NULL) {
            return Collections.emptyMap();
        }
        if (kind != Kind.MAP) {
            throw error("must be a mapping");
        }
        return entries;
    }

    /** The items of a list; an empty list for a null node. */
    List<ConfigNode> list() {
        if (kind == Kind.NULL) {
            return Collections.emptyList();
        }
        if (kind != Kind.LIST) {
            throw error("must be a list");
        }
        return items;
    }

    /** The child at {@code key}, or a null node (with this node's location) when absent. */
    ConfigNode get(String key) {
        ConfigNode child = map().get(key);
        return child != null
                ? child
                : new ConfigNode(Kind.NULL, file, line, path.isEmpty() ? key : path + "." + key, null, null, null);
    }

    boolean has(String key) {
        return map().containsKey(key);
    }

    /** The scalar text, or {@code fallback} for a null node. */
    String text(String fallback) {
        if (kind == Kind.NULL) {
            return fallback;
        }
        if (kind != Kind.SCALAR) {
            throw error("must be a single value");
        }
        return scalar;
    }

    boolean bool(boolean fallback) {
        String s = text(null);
        if (s == null) {
            return fallback;
        }
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw error("must be true or false, not \"" + s + "\"");
    }

    /**
     * A boolean as Prometheus' YAML library (yaml.v2, YAML 1.1) reads one into a bool field: {@code true},
     * {@code True}, {@code TRUE}, {@code yes}, {@code on}, {@code y} (and their false forms) in those letter cases.
     */
    boolean yamlBool(boolean fallback) {
        String s = text(null);
        if (s == null) {
            return fallback;
        }
        if (YAML_TRUE.contains(s)) {
            return true;
        }
        if (YAML_FALSE.contains(s)) {
            return false;
        }
        throw error("must be true or false, not \"" + s + "\"");
    }

    /** A non-negative whole number, or {@code fallback} for a null node. */
    long count(long fallback) {
        String s = text(null);
        if (s == null) {
            return fallback;
        }
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error("must be a non-negative whole number, not \"" + s + "\"");
    }

    /** A list of scalars; an empty list for a null node. */
    List<String> strings() {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : list()) {
            out.add(item.text(""));
        }
        return out;
    }
}
