package dev.kubelogs.collector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Parsing helpers for the collector's configuration: On/Off switches, durations, sizes, and config files in the
 * {@code fluent-bit-cluster-info} spelling (a .properties file, a flat .yaml/.yml file, or a directory with one
 * file per key as a ConfigMap volume mounts it).
 */
public final class Settings {

    private Settings() {}

    /** Reads a config file or ConfigMap directory into a flat key → value map (keys as written, e.g. {@code cluster.name}). */
    public static Map<String, String> readFile(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (Files.isDirectory(file)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(file)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".") || !Files.isRegularFile(p)) {
                        continue; // ConfigMap volumes hold ..data symlink dirs; keys are the visible files
                    }
                    out.put(name, Files.readString(p, StandardCharsets.UTF_8).trim());
                }
            }
            return out;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) {
                return out;
            }
            if (!root.isObject()) {
                throw new IOException("config file " + file + " must hold a mapping of keys to values");
            }
            // a ConfigMap manifest: take its data section
            if (root.has("data") && root.get("data").isObject() && root.has("kind")) {
                root = root.get("data");
            }
            flatten("", root, out);
            return out;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        for (String k : p.stringPropertyNames()) {
            out.put(k, unquote(p.getProperty(k).trim()));
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key, v, out);
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(x -> items.add(x.asText()));
                out.put(key, String.join(",", items));
            } else if (!v.isNull()) {
                out.put(key, v.asText());
            }
        }
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && ((s.startsWith("\"") && s.endsWith("\"")) || (s.startsWith("'") && s.endsWith("'")))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** On/Off in the Fluent Bit spelling, also true/false, yes/no, 1/0 (case-insensitive). */
    public static boolean onOff(String key, String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on":
            case "true":
            case "yes":
            case "1":
                return true;
            case "off":
            case "false":
            case "no":
            case "0":
                return false;
            default:
                throw new IllegalArgumentException(key + " must be On or Off, not '" + value + "'");
        }
    }

    /** A duration: ISO-8601 ({@code PT1S}), or a number with unit ms, s, m, h, d; a bare number means seconds. */
    public static Duration duration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            char unit = v.charAt(v.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
            switch (unit) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                case 'd':
                    return Duration.ofDays(n);
                default:
                    break;
            }
        } catch (RuntimeException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(
                key + " must be a duration like 500ms, 1s, 5m, 24h or PT1S, not '" + value + "'");
    }

    /** A size in bytes: a number with an optional K, M, G (binary, also KiB/MiB/GiB/KB/MB/GB) suffix. */
    public static long size(String key, String value) {
        String v = value.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long mult = 1;
        if (!v.isEmpty()) {
            char unit = v.charAt(v.length() - 1);
            if (unit == 'K') {
                mult = 1L << 10;
            } else if (unit == 'M') {
                mult = 1L << 20;
            } else if (unit == 'G') {
                mult = 1L << 30;
            }
            if (mult != 1) {
                v = v.substring(0, v.length() - 1).trim();
            }
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, mult);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    key + " must be a size like 4194304, 4M, 512K or 1G, not '" + value + "'");
        }
    }

    /** Comma-separated list, blanks dropped. */
    public static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** {@code k=v,k2=v2}. */
    public static Map<String, String> keyValues(String key, String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : list(value)) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        key + " must be a list like az=us-west-2a,ec2_instance_id=i-123, not '" + value + "'");
            }
            out.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        return out;
    }
}
