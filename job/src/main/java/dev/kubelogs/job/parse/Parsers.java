package dev.kubelogs.job.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsers a pod annotation can name, by name (Fluent Bit's config->parsers, flb_parser_get): those of
 * Container Insights' parsers.conf ({@code syslog}, {@code container_firstline}, {@code cwagent_firstline}), or,
 * when the user gives a parsers file, that file's instead, as it takes the place of the ConfigMap's parsers.conf
 * ({@code Parsers_File parsers.conf} loads that one file). A name defined twice is an error: Fluent Bit refuses the
 * second ("parser named '%s' already exists, skip.") and fails the whole file.
 */
public final class Parsers implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final String CONTAINER_INSIGHTS = "container-insights-parsers.conf";

    private final Map<String, LogParser> byName;

    private Parsers(Map<String, LogParser> byName) {
        this.byName = byName;
    }

    /** Container Insights' parsers.conf, verbatim. */
    public static List<LogParser> containerInsights() {
        try (InputStream in = Parsers.class.getResourceAsStream(CONTAINER_INSIGHTS)) {
            if (in == null) {
                throw new IllegalStateException(CONTAINER_INSIGHTS + " is missing from the job's jar");
            }
            return ParsersFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Container Insights' parsers (read and compiled once: every JobOptions starts from them). */
    public static Parsers defaults() {
        return Defaults.PARSERS;
    }

    private static final class Defaults {
        static final Parsers PARSERS = of(containerInsights());
    }

    /** These parsers; an IllegalArgumentException when a name is defined twice. */
    public static Parsers of(List<LogParser> parsers) {
        Map<String, LogParser> byName = new LinkedHashMap<>();
        for (LogParser p : parsers) {
            if (byName.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("parser named '" + p.name() + "' is defined twice");
            }
        }
        return new Parsers(byName);
    }

    /** The parser of this exact name, or null. */
    public LogParser get(String name) {
        return byName.get(name);
    }

    /** The parsers in definition order. */
    public List<LogParser> all() {
        return List.copyOf(byName.values());
    }
}
