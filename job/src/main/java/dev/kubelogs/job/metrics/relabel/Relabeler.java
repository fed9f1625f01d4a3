package dev.kubelogs.job.metrics.relabel;

import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.model.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;

/**
 * Applies a list of {@code relabel_configs} / {@code metric_relabel_configs} with Prometheus' semantics
 * ({@code model/relabel/relabel.go}, Prometheus 3.x, which the current CloudWatch agent embeds): regexes anchored as
 * {@code ^(?s:re)$}, source label values joined with the separator (a missing label is ""), a replacement that expands
 * to "" deletes the target label, a target name that expands to an invalid name leaves the labels alone, and label
 * names are validated with Prometheus 3's default UTF-8 scheme (any non-empty name). The rules are checked when the
 * relabeler is built, with the errors Prometheus gives ({@link RelabelConfigException}).
 *
 * <p>Rules that change nothing allocate nothing: the patterns are compiled once, the matchers and the join buffer
 * are reused per thread, and the input {@link Labels} instance itself is returned when no rule changed it (callers
 * may test {@code result == input}). Thread-safe; not serializable: build it where it runs from the
 * {@link RelabelConfig}s.
 *
 * <p>One difference: {@code labelmap} visits the labels in name order, while Prometheus visits the labels it started
 * with before those an earlier rule of the same list added; only two source names mapping to the same target name
 * can tell them apart. A {@code labelmap} result with an empty name is skipped (no label can have it).
 */
public final class Relabeler {
    private static final String DEFAULT_REGEX = "(.*)";
    private static final String DEFAULT_SEPARATOR = ";";
    private static final String DEFAULT_REPLACEMENT = "$1";

    private final Rule[] rules;
    private final ThreadLocal<Scratch> scratch;

    public Relabeler(List<RelabelConfig> configs) {
        rules = new Rule[configs.size()];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = Rule.of(i, configs.get(i));
        }
        scratch = ThreadLocal.withInitial(() -> new Scratch(rules));
    }

    /** True when there are no rules: {@link #apply} returns its input. */
    public boolean isEmpty() {
        return rules.length == 0;
    }

    /** The relabeled labels, or null when a rule dropped them. Returns {@code labels} itself when nothing changed. */
    public Labels apply(Labels labels) {
        if (rules.length == 0) {
            return labels;
        }
        Scratch s = scratch.get();
        LabelsEditor lb = s.editor;
        lb.reset(labels);
        for (Rule rule : rules) {
            if (!rule.apply(lb, s)) {
                lb.reset(Labels.EMPTY);
                return null;
            }
        }
        Labels result = lb.snapshot();
        lb.reset(Labels.EMPTY);
        return result;
    }

    /** Prometheus' label name check under its default (UTF-8) validation scheme: non-empty, well-formed text. */
    public static boolean isValidLabelName(String name) {
        return !name.isEmpty() && isWellFormed(name);
    }

    /** Prometheus' label value check: valid UTF-8, i.e. no unpaired surrogate in Java's UTF-16. */
    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Per-thread working state, so that {@link #apply} is safe to call from several threads. */
    private static final class Scratch {
        final LabelsEditor editor = new LabelsEditor();
        final StringBuilder joined = new StringBuilder();
        final StringBuilder expanded = new StringBuilder();
        final Matcher[] matchers;
        MessageDigest md5;

        Scratch(Rule[] rules) {
            matchers = new Matcher[rules.length];
            for (int i = 0; i < rules.length; i++) {
                matchers[i] = rules[i].regex.pattern().matcher("");
            }
        }

        MessageDigest md5() {
            if (md5 == null) {
                try {
                    md5 = MessageDigest.getInstance("MD5");
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("the JDK has no MD5", e);
                }
            }
            return md5;
        }
    }

    private static final class Rule {
        final int index;
        final RelabelAction action;
        final String[] sourceLabels;
        final String separator;
        final Re2Regex regex;
        final long modulus;
        final String targetLabel;
        final Expansion target;
        final Expansion replacement;
        /** Prometheus' fast path: default regex, no {@code $} in target or replacement. */
        final boolean literalReplace;

        private Rule(int index, RelabelConfig c, Re2Regex regex) {
            this.index = index;
            this.action = c.action();
            this.sourceLabels =
                    c.sourceLabels() == null ? new String[0] : c.sourceLabels().toArray(new String[0]);
            this.separator = c.separator();
            this.regex = regex;
            this.modulus = c.modulus();
            this.targetLabel = c.targetLabel();
            this.target = Expansion.parse(nullToEmpty(c.targetLabel()), regex);
            this.replacement = Expansion.parse(c.replacement(), regex);
            this.literalReplace = DEFAULT_REGEX.equals(c.regex())
                    && !nullToEmpty(c.targetLabel()).contains("$")
                    && !c.replacement().contains("$");
        }

        static Rule of(int i, RelabelConfig c) {
            validate(i, c);
            Re2Regex regex;
            try {
                regex = Re2Regex.compileAnchored(c.regex());
            } catch (PatternSyntaxException e) {
                throw new RelabelConfigException(
                        i, "regex", "invalid regular expression '" + c.regex() + "': " + e.getDescription());
            }
            return new Rule(i, c, regex);
        }

        /** Prometheus' {@code relabel.Config.Validate}, in its order. */
        private static void validate(int i, RelabelConfig c) {
            RelabelAction a = c.action();
            if (a == null) {
                throw new RelabelConfigException(i, "action", "relabel action cannot be empty");
            }
            if (c.regex() == null || c.separator() == null || c.replacement() == null) {
                throw new IllegalArgumentException("relabel rule " + i + " lacks its defaults: " + c);
            }
            String target = nullToEmpty(c.targetLabel());
            boolean needsTarget = a == RelabelAction.REPLACE
                    || a == RelabelAction.HASHMOD
                    || a == RelabelAction.LOWERCASE
                    || a == RelabelAction.UPPERCASE
                    || a == RelabelAction.KEEPEQUAL
                    || a == RelabelAction.DROPEQUAL;
            boolean caseOrEqual = a == RelabelAction.LOWERCASE
                    || a == RelabelAction.UPPERCASE
                    || a == RelabelAction.KEEPEQUAL
                    || a == RelabelAction.DROPEQUAL;
            if (a == RelabelAction.HASHMOD && c.modulus() == 0) {
                throw new RelabelConfigException(
                        i, "modulus", "relabel configuration for hashmod requires non-zero modulus");
            }
            if (needsTarget && target.isEmpty()) {
                throw new RelabelConfigException(
                        i,
                        "target_label",
                        "relabel configuration for " + a.yamlName() + " action requires 'target_label' value");
            }
            if ((needsTarget || caseOrEqual) && !isValidLabelName(target)) {
                throw new RelabelConfigException(
                        i,
                        "target_label",
                        "\"" + target + "\" is invalid 'target_label' for " + a.yamlName() + " action");
            }
            if (caseOrEqual && !DEFAULT_REPLACEMENT.equals(c.replacement())) {
                throw new RelabelConfigException(
                        i, "replacement", "'replacement' can not be set for " + a.yamlName() + " action");
            }
            if (a == RelabelAction.LABELMAP && !isValidLabelName(c.replacement())) {
                throw new RelabelConfigException(
                        i,
                        "replacement",
                        "\"" + c.replacement() + "\" is invalid 'replacement' for " + a.yamlName() + " action");
            }
            if ((a == RelabelAction.KEEPEQUAL || a == RelabelAction.DROPEQUAL)
                    && (!DEFAULT_REGEX.equals(c.regex())
                            || c.modulus() != 0
                            || !DEFAULT_SEPARATOR.equals(c.separator()))) {
                throw new RelabelConfigException(
                        i,
                        "action",
                        a.yamlName() + " action requires only 'source_labels' and `target_label`, and no other fields");
            }
            if ((a == RelabelAction.LABELDROP || a == RelabelAction.LABELKEEP)
                    && (c.sourceLabels() != null && !c.sourceLabels().isEmpty()
                            || !target.isEmpty()
                            || c.modulus() != 0
                            || !DEFAULT_SEPARATOR.equals(c.separator())
                            || !DEFAULT_REPLACEMENT.equals(c.replacement()))) {
                throw new RelabelConfigException(
                        i, "action", a.yamlName() + " action requires only 'regex', and no other fields");
            }
        }

        /** Applies this rule; false when it drops the labels. */
        boolean apply(LabelsEditor lb, Scratch s) {
            CharSequence val = sourceValue(lb, s);
            Matcher m = s.matchers[index];
            switch (action) {
                case DROP:
                    return !m.reset(val).matches();
                case KEEP:
                    return m.reset(val).matches();
                case DROPEQUAL:
                    return !nullToEmpty(lb.get(targetLabel)).contentEquals(val);
                case KEEPEQUAL:
                    return nullToEmpty(lb.get(targetLabel)).contentEquals(val);
                case REPLACE:
                    replace(lb, s, m, val);
                    return true;
                case LOWERCASE:
                    lb.set(targetLabel, mapCase(val, false));
                    return true;
                case UPPERCASE:
                    lb.set(targetLabel, mapCase(val, true));
                    return true;
                case HASHMOD:
                    lb.set(targetLabel, hashMod(s, val));
                    return true;
                case LABELMAP:
                case LABELDROP:
                case LABELKEEP:
                    byName(lb, s, m);
                    return true;
                default:
                    throw new IllegalStateException("unknown relabel action " + action);
            }
        }

        private CharSequence sourceValue(LabelsEditor lb, Scratch s) {
            if (sourceLabels.length == 0) {
                return "";
            }
            if (sourceLabels.length == 1) {
                return nullToEmpty(lb.get(sourceLabels[0]));
            }
            StringBuilder b = s.joined;
            b.setLength(0);
            for (int k = 0; k < sourceLabels.length; k++) {
                if (k > 0) {
                    b.append(separator);
                }
                String v = lb.get(sourceLabels[k]);
                if (v != null) {
                    b.append(v);
                }
            }
            return b;
        }

        private void replace(LabelsEditor lb, Scratch s, Matcher m, CharSequence val) {
            if (literalReplace && val.length() == 0) {
                lb.set(targetLabel, replacement.literal());
                return;
            }
            if (!m.reset(val).matches()) {
                return;
            }
            String name = target.isLiteral() ? target.literal() : expand(target, s, m, val);
            if (!isValidLabelName(name)) {
                return;
            }
            String value = replacement.isLiteral() ? replacement.literal() : expand(replacement, s, m, val);
            if (value.isEmpty()) {
                lb.delete(name);
            } else {
                lb.set(name, value);
            }
        }

        private static String expand(Expansion e, Scratch s, Matcher m, CharSequence input) {
            StringBuilder b = s.expanded;
            b.setLength(0);
            e.appendTo(b, m, input);
            return b.toString();
        }

        private String hashMod(Scratch s, CharSequence val) {
            byte[] sum = s.md5().digest(val.toString().getBytes(StandardCharsets.UTF_8));
            long last8 = 0;
            for (int k = 8; k < 16; k++) {
                last8 = (last8 << 8) | (sum[k] & 0xff);
            }
            return Long.toUnsignedString(Long.remainderUnsigned(last8, modulus));
        }

        /** labelmap / labeldrop / labelkeep: visit a snapshot of the names, as Prometheus' Builder.Range does. */
        private void byName(LabelsEditor lb, Scratch s, Matcher m) {
            Labels snapshot = lb.snapshot();
            for (int k = 0; k < snapshot.size(); k++) {
                String name = snapshot.name(k);
                boolean matches = m.reset(name).matches();
                if (action == RelabelAction.LABELDROP && matches || action == RelabelAction.LABELKEEP && !matches) {
                    lb.delete(name);
                } else if (action == RelabelAction.LABELMAP && matches) {
                    String mapped = replacement.isLiteral() ? replacement.literal() : expand(replacement, s, m, name);
                    if (!mapped.isEmpty()) {
                        lb.set(mapped, snapshot.value(k));
                    }
                }
            }
        }
    }

    /**
     * Go's {@code strings.ToLower}/{@code ToUpper}: every code point by its one-to-one case mapping. Java's
     * {@code String.toLowerCase}/{@code toUpperCase} also apply Unicode's special and context-dependent mappings
     * ({@code ß} to {@code SS}, a word-final {@code Σ} to {@code ς}, {@code İ} to {@code i̇}), which Go does not.
     */
    static String mapCase(CharSequence s, boolean upper) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = Character.codePointAt(s, i);
            out.appendCodePoint(upper ? Character.toUpperCase(cp) : Character.toLowerCase(cp));
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
