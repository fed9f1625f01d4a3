package dev.kubelogs.job.multiline;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * User multiline rule sets from a JSON file, in Fluent Bit's {@code [MULTILINE_PARSER]} form:
 * <pre>
 * [{"name": "dated", "namespace": "shop", "pod": "orders-*", "container": "*",
 *   "rules": [{"from": "start_state", "regex": "^\\d{4}-\\d{2}-\\d{2} ", "to": "cont"},
 *             {"from": "cont", "regex": "^\\s", "to": "cont"}]},
 *  {"name": "ruby", "namespace": "rails"}]
 * </pre>
 * Selectors are globs and default to {@code *}. An entry without rules selects the built-in set of its name
 * (java, python, go, ruby) for those containers. A pod can also pick a set by name with the annotation
 * {@code kubelogs.dev/multiline: <name>} (or {@code none}). Anything the file says that would not be used as
 * written — an unknown key, a value of the wrong type, a state no rule leaves — is an error naming its place.
 */
public final class RuleSetsFile {
    private RuleSetsFile() {}

    /** The file's form; Jackson rejects unknown keys, wrong types and duplicate keys. */
    record RuleSetEntry(String name, String namespace, String pod, String container, List<RuleEntry> rules) {}

    record RuleEntry(String from, String regex, String to) {}

    private static final ObjectReader READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // "namespace": 5 is a mistake, not the glob "5"
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(
                    LogicalType.Textual,
                    text -> text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build()
            .readerForListOf(RuleSetEntry.class);

    /** The rule sets of {@code file}; else an IOException naming the file, the place and the problem. */
    public static List<SelectedRuleSet> read(Path file) throws IOException {
        List<RuleSetEntry> entries;
        try {
            entries = READER.readValue(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": permission denied", e);
        } catch (JacksonException e) {
            throw new IOException(file + ": " + describe(e), e);
        }
        if (entries == null) {
            throw new IOException(file + ": expected a JSON array of rule sets, got null");
        }
        List<SelectedRuleSet> sets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            RuleSetEntry entry = entries.get(i);
            String at = "[" + i + "]";
            if (entry == null) {
                throw new IOException(file + ": " + at + ": expected a rule set object, got null");
            }
            String name = required(file, entry.name(), at + ".name");
            // a pending record names its set: two sets of rules under one name would continue each other's records
            // (a built-in set may be selected by several entries: it is one set)
            if (entry.rules() != null && !names.add(name)) {
                throw new IOException(file + ": " + at + ".name: a second rule set named '" + name + "'");
            }
            if (name.equals("none")) {
                throw new IOException(
                        file + ": " + at + ".name: 'none' is reserved (the annotation value that turns joining off)");
            }
            RuleSet ruleSet = ruleSet(file, entry, at, name);
            sets.add(new SelectedRuleSet(glob(entry.namespace()), glob(entry.pod()), glob(entry.container()), ruleSet));
        }
        return sets;
    }

    private static RuleSet ruleSet(Path file, RuleSetEntry entry, String at, String name) throws IOException {
        boolean builtIn = BuiltInRuleSets.named(name).isPresent();
        if (entry.rules() == null) {
            return BuiltInRuleSets.named(name)
                    .orElseThrow(() -> new IOException(file + ": " + at + ".rules: missing; only a built-in rule set ("
                            + builtInNames() + ") is selected without rules"));
        }
        if (builtIn) {
            throw new IOException(file + ": " + at + ".rules: '" + name
                    + "' is a built-in rule set; select it without rules, or give your own set another name");
        }
        if (entry.rules().isEmpty()) {
            throw new IOException(file + ": " + at + ".rules: rule set '" + name + "' has no rules");
        }
        Set<String> known = new HashSet<>(Set.of(RuleSet.START_STATE));
        for (RuleEntry rule : entry.rules()) {
            if (rule != null && rule.from() != null) {
                known.addAll(states(rule.from()));
            }
        }
        RuleSet.Builder builder = RuleSet.builder(name);
        boolean hasStart = false;
        for (int r = 0; r < entry.rules().size(); r++) {
            String ruleAt = at + ".rules[" + r + "]";
            RuleEntry rule = entry.rules().get(r);
            if (rule == null) {
                throw new IOException(file + ": " + ruleAt + ": expected a rule object, got null");
            }
            String from = required(file, rule.from(), ruleAt + ".from");
            String regex = required(file, rule.regex(), ruleAt + ".regex");
            String to = required(file, rule.to(), ruleAt + ".to");
            if (states(from).isEmpty()) {
                throw new IOException(file + ": " + ruleAt + ".from: names no state");
            }
            if (!known.contains(to)) {
                throw new IOException(file + ": " + ruleAt + ".to: unknown state '" + to + "' (no rule of '" + name
                        + "' leaves it, and it is not start_state); known: " + String.join(", ", new TreeSet<>(known)));
            }
            hasStart |= states(from).contains(RuleSet.START_STATE);
            try {
                builder.userRule(from, regex, to);
            } catch (PatternSyntaxException e) {
                throw new IOException(file + ": " + ruleAt + ".regex: bad regex: " + e.getMessage(), e);
            }
        }
        if (!hasStart) {
            throw new IOException(file + ": " + at + ".rules: rule set '" + name + "' has no rule from start_state");
        }
        return builder.build();
    }

    private static Set<String> states(String from) {
        return Arrays.stream(from.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    private static String required(Path file, String value, String at) throws IOException {
        if (value == null || value.isBlank()) {
            throw new IOException(file + ": " + at + ": missing");
        }
        return value;
    }

    private static String glob(String value) {
        return value == null ? "*" : value;
    }

    private static String builtInNames() {
        return BuiltInRuleSets.ALL.stream().map(RuleSet::name).collect(Collectors.joining(", "));
    }

    /** Jackson's finding as "where: what (line L, column C)". */
    private static String describe(JacksonException e) {
        String where = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            String allowed = u.getKnownPropertyIds().stream()
                    .map(Object::toString)
                    .sorted()
                    .collect(Collectors.joining(", "));
            what = "unknown key \"" + u.getPropertyName() + "\" (allowed: " + allowed + ")";
        } else if (e instanceof MismatchedInputException m) {
            what = where.isEmpty()
                    ? "expected a JSON array of rule sets"
                    : "wrong type, expected " + expected(m.getTargetType());
        } else {
            what = "not valid JSON: " + e.getOriginalMessage();
        }
        JsonLocation location = e.getLocation();
        String position = location == null || location.getLineNr() < 0
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return (where.isEmpty() ? "" : where + ": ") + what + position;
    }

    private static String path(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type != null && List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
