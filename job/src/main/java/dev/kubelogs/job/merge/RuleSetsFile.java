package dev.kubelogs.job.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.job.parse.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * User multiline rule sets from a JSON file, in Fluent Bit's {@code [MULTILINE_PARSER]} form:
 * <pre>
 * [{"name": "dated", "namespace": "shop", "pod": "orders-*", "container": "*",
 *   "rules": [{"from": "start_state", "regex": "^\\d{4}-\\d{2}-\\d{2} ", "to": "cont"},
 *             {"from": "cont", "regex": "^\\s", "to": "cont"}]}]
 * </pre>
 * Selectors are globs and default to {@code *}. A pod can also pick a set by name with the annotation
 * {@code kubelogs.dev/multiline: <name>} (or {@code none}).
 */
public final class RuleSetsFile {
    private RuleSetsFile() {}

    public static List<SelectedRuleSet> read(Path file) throws IOException {
        JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": expected a JSON array of rule sets");
        }
        List<SelectedRuleSet> sets = new ArrayList<>();
        for (JsonNode set : root) {
            String name = required(file, set, "name");
            RuleSet.Builder builder = RuleSet.builder(name);
            if (!set.path("rules").isArray() || set.path("rules").isEmpty()) {
                throw new IOException(file + ": rule set '" + name + "' has no rules");
            }
            boolean hasStart = false;
            for (JsonNode rule : set.path("rules")) {
                String from = required(file, rule, "from");
                hasStart |= from.contains(RuleSet.START_STATE);
                try {
                    builder.rule(from, required(file, rule, "regex"), required(file, rule, "to"));
                } catch (PatternSyntaxException e) {
                    throw new IOException(file + ": rule set '" + name + "': bad regex: " + e.getMessage(), e);
                }
            }
            if (!hasStart) {
                throw new IOException(file + ": rule set '" + name + "' has no rule from start_state");
            }
            sets.add(new SelectedRuleSet(set.path("namespace").asText("*"), set.path("pod").asText("*"),
                    set.path("container").asText("*"), builder.build()));
        }
        return sets;
    }

    private static String required(Path file, JsonNode node, String field) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException(file + ": missing \"" + field + "\" in " + node);
        }
        return v.textValue();
    }
}
