package dev.kubelogs.job.merge;

import java.io.Serializable;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;

/**
 * A user-defined rule set and the containers it applies to (globs on namespace, pod and container
 * name). It is tried before the built-in java/python/go sets for the containers it selects.
 */
public record SelectedRuleSet(String namespace, String pod, String container, RuleSet ruleSet) implements Serializable {

    public boolean selects(String ns, String podName, String containerName) {
        return glob(namespace, ns) && glob(pod, podName) && glob(container, containerName);
    }

    private static boolean glob(String pattern, String value) {
        if (pattern == null || pattern.equals("*")) {
            return true;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        return value != null && m.matches(Paths.get(value));
    }
}
