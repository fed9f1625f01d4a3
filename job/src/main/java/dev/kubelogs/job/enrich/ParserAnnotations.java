package dev.kubelogs.job.enrich;

import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.parse.LogParser;
import dev.kubelogs.job.parse.Parsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parsers a pod's {@code fluentbit.io/parser*} annotations pick for one container's stdout and stderr, as
 * Container Insights' kubernetes filter picks them with {@code K8S-Logging.Parser On} and {@code K8S-Logging.Exclude
 * Off} (plugins/filter_kubernetes/kube_property.c flb_kube_prop_set, prop_set_parser; kube_meta.c hands it every
 * annotation whose key is longer than {@code fluentbit.io/}):
 *
 * <ul>
 *   <li>{@code parser}, {@code parser_stdout}, {@code parser_stderr}, each optionally followed by {@code -<container>};
 *       the container part matches when the container's name starts with it (strncmp over the annotation's length).
 *   <li>Annotations are seen in key order, as the kubelet's JSON writes them (Go sorts map keys). One without a
 *       container sets a stream only while no annotation has set it; one with a container always sets it. So a
 *       container's own annotation wins, and among the others the first in key order ({@code parser} before
 *       {@code parser_stderr} / {@code parser_stdout}).
 *   <li>A parser name that is not defined changes nothing (a warning: "annotation parser '%s' not found"): the
 *       stream keeps what an earlier annotation set, or the default JSON merge.
 *   <li>{@code fluentbit.io/exclude*} is not allowed (Exclude Off): a warning, nothing excluded. Other keys, a stream
 *       other than stdout/stderr, an empty container or trailing text are warnings too.
 * </ul>
 */
public final class ParserAnnotations {
    private ParserAnnotations() {}

    private static final String PREFIX = "fluentbit.io/";
    private static final String PARSER = "parser";
    private static final String EXCLUDE = "exclude";

    /**
     * The parsers of one container and what was wrong with the annotations (for the log).
     *
     * @param stdout the parser of stdout records, or null for the default merge
     * @param stderr the same for stderr
     * @param unknownParser an annotation for this container named a parser that is not defined
     */
    public record Chosen(LogParser stdout, LogParser stderr, boolean unknownParser, List<String> warnings) {
        public static final Chosen NONE = new Chosen(null, null, false, List.of());

        /**
         * The parser of a record as kubernetes.c cb_kube_filter picks it by get_stream: the first key that is a
         * prefix of "stream" (strncmp over the key's length) decides; a value that is a prefix of "stdout" takes the
         * stdout parser, else one of "stderr" the stderr parser. A record without such a key, or with another value,
         * would take a parser only if both streams held the same parser string — never, since each stream holds
         * its own copy — so it gets the default merge.
         */
        public LogParser forRecord(LineRecord record) {
            if (stdout == null && stderr == null) {
                return null;
            }
            for (int i = 0; i < record.size(); i++) {
                if ("stream".startsWith(record.name(i))) {
                    String v = record.text(i);
                    if (v == null) {
                        return null;
                    }
                    return "stdout".startsWith(v) ? stdout : "stderr".startsWith(v) ? stderr : null;
                }
            }
            return null;
        }
    }

    /** The parsers {@code annotations} pick for the container {@code containerName}. */
    public static Chosen choose(Map<String, String> annotations, String containerName, Parsers parsers) {
        LogParser stdout = null;
        LogParser stderr = null;
        boolean unknown = false;
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> a : new TreeMap<>(annotations).entrySet()) {
            String key = a.getKey();
            if (key.length() <= PREFIX.length() || !key.startsWith(PREFIX)) {
                continue;
            }
            String prop = key.substring(PREFIX.length());
            boolean parser = prop.startsWith(PARSER);
            if (!parser && !prop.startsWith(EXCLUDE)) {
                warnings.add("unknown annotation '" + key + "'");
                continue;
            }
            String rest = prop.substring(parser ? PARSER.length() : EXCLUDE.length());
            String stream = null;
            if (rest.startsWith("_")) {
                rest = rest.substring(1);
                if (rest.startsWith("stdout") || rest.startsWith("stderr")) {
                    stream = rest.substring(0, 6);
                    rest = rest.substring(6);
                } else {
                    warnings.add("invalid stream in annotation '" + key + "'");
                    continue;
                }
            }
            String container = null;
            if (rest.startsWith("-")) {
                container = rest.substring(1);
                if (container.isEmpty()) {
                    warnings.add("invalid container in annotation '" + key + "'");
                    continue;
                }
                rest = "";
            }
            if (!rest.isEmpty()) {
                warnings.add("invalid annotation '" + key + "'");
                continue;
            }
            if (container != null && !containerName.startsWith(container)) {
                continue;
            }
            if (!parser) {
                warnings.add("annotation '" + PREFIX + EXCLUDE + "' not allowed (K8S-Logging.Exclude Off)");
                continue;
            }
            LogParser named = parsers.get(a.getValue());
            if (named == null) {
                unknown = true;
                warnings.add(
                        "annotation parser '" + a.getValue() + "' not found (container_name='" + containerName + "')");
                continue;
            }
            boolean always = container != null;
            if ((stream == null || stream.equals("stdout")) && (always || stdout == null)) {
                stdout = named;
            }
            if ((stream == null || stream.equals("stderr")) && (always || stderr == null)) {
                stderr = named;
            }
        }
        if (stdout == null && stderr == null && !unknown && warnings.isEmpty()) {
            return Chosen.NONE;
        }
        return new Chosen(stdout, stderr, unknown, List.copyOf(warnings));
    }
}
