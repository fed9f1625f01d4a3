package dev.kubelogs.job.merge;

import java.io.Serializable;
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
