package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps a discovered path from being read (its target gone, not a regular file, a link out of the allowed
 * directories, no permission): counted and logged once per path and problem, not on every poll, until the path is
 * readable again or no longer discovered.
 */
final class PathProblems {
    private static final Logger LOG = LoggerFactory.getLogger(PathProblems.class);

    private final CollectorMetrics metrics;
    private final Map<String, String> byPath = new HashMap<>();

    PathProblems(CollectorMetrics metrics) {
        this.metrics = metrics;
    }

    /** Counts {@code message} as an error of {@code kind} and logs it, unless it is already known for this path. */
    void report(String logical, String kind, String message) {
        if (firstReport(logical, message)) {
            metrics.error(kind);
            LOG.warn("{}: {}", logical, message);
        }
    }

    /** {@code path} could not be opened. */
    void cannotOpen(String logical, Path path, IOException e) {
        if (e instanceof AccessDeniedException) {
            report(logical, "permission", "permission denied opening " + path + "; skipped until readable");
        } else if (e instanceof NoSuchFileException) {
            report(logical, "vanished_target", "cannot open " + path + ": gone");
        } else {
            report(logical, "open", "cannot open " + path + ": " + e);
        }
    }

    /** A link out of the allowed directories (to /etc/shadow, a token file): never opened; reported once per target. */
    void refuse(String logical, Path path, Path real, List<Path> allowedRoots) {
        String message = path + " resolves to " + real + ", outside " + allowedRoots + "; not read";
        if (firstReport(logical, message)) {
            metrics.symlinksRefused.inc();
            LOG.warn("{}: {}", logical, message);
        }
    }

    /** Records a problem of a path; true unless the same problem was already reported for it. */
    private boolean firstReport(String logical, String message) {
        return !message.equals(byPath.put(logical, message));
    }

    boolean has(String logical) {
        return byPath.containsKey(logical);
    }

    /** The path was read: a problem it had is over. */
    void clear(String logical) {
        if (byPath.remove(logical) != null) {
            LOG.info("{}: readable again", logical);
        }
    }

    /** Forgets the paths no longer discovered: one that comes back is reported afresh. */
    void retainOnly(Set<String> discovered) {
        byPath.keySet().retainAll(discovered);
    }
}
