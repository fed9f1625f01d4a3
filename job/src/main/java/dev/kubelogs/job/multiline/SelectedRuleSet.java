package dev.kubelogs.job.multiline;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A user-defined rule set and the containers it applies to (globs with {@code *} and {@code ?} on namespace,
 * pod and container name). It is tried before the built-in java/python/go sets for the containers it selects.
 */
public final class SelectedRuleSet implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Pattern namespace;
    private final Pattern pod;
    private final Pattern container;
    private final RuleSet ruleSet;

    public SelectedRuleSet(String namespace, String pod, String container, RuleSet ruleSet) {
        this.namespace = glob(namespace);
        this.pod = glob(pod);
        this.container = glob(container);
        this.ruleSet = ruleSet;
    }

    public boolean selects(String ns, String podName, String containerName) {
        return matches(namespace, ns) && matches(pod, podName) && matches(container, containerName);
    }

    public RuleSet ruleSet() {
        return ruleSet;
    }

    /**
     * The rule sets of one application container, in the order they are tried: the user's sets that select it,
     * then the default built-ins. A pod annotation naming a set keeps only that one — a user set that selects the
     * container, or any built-in (ruby included); {@code none}, or a name that matches nothing, turns joining off.
     *
     * @param namespace null (with pod and container) when the file name does not follow the kubelet's pattern
     * @param annotation the pod's {@code kubelogs.dev/multiline} annotation, or null
     */
    public static List<RuleSet> forContainer(
            List<SelectedRuleSet> userSets, String namespace, String pod, String container, String annotation) {
        Map<String, RuleSet> byName = new LinkedHashMap<>();
        for (SelectedRuleSet s : userSets) {
            if (s.selects(namespace, pod, container)) {
                byName.putIfAbsent(s.ruleSet().name(), s.ruleSet());
            }
        }
        if (annotation == null) {
            for (RuleSet rs : BuiltInRuleSets.DEFAULT_APPLICATION) {
                byName.putIfAbsent(rs.name(), rs);
            }
            return List.copyOf(byName.values());
        }
        String wanted = annotation.trim();
        RuleSet chosen = byName.containsKey(wanted)
                ? byName.get(wanted)
                : BuiltInRuleSets.named(wanted).orElse(null);
        return chosen == null ? List.of() : List.of(chosen);
    }

    private static boolean matches(Pattern p, String value) {
        return value != null && p.matcher(value).matches();
    }

    /** A glob as a regex compiled once: {@code *} any run, {@code ?} one character, everything else literal. */
    static Pattern glob(String glob) {
        String g = glob == null ? "*" : glob;
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : g.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString());
    }
}
