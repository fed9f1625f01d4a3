package dev.kubelogs.collector.tail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the file tailer reads and how.
 *
 * @param logRoot the node's log directory
 * @param dockerContainersDir besides the log root, the one directory symlinked log files may lie in
 * @param includeGlobs container globs relative to the log root
 * @param excludeGlobs container globs to skip
 * @param hostFiles host log files relative to the log root (empty when host logs come from elsewhere)
 * @param readFromHead files seen at the first start are read from their head
 * @param pollInterval how often files are polled
 * @param maxLineBytes longer lines are split into PARTIAL pieces of this size
 * @param rotateWait a rotated file at EOF is let go after this idle time
 */
public record TailSettings(
        Path logRoot,
        Path dockerContainersDir,
        List<String> includeGlobs,
        List<String> excludeGlobs,
        List<String> hostFiles,
        boolean readFromHead,
        Duration pollInterval,
        int maxLineBytes,
        Duration rotateWait) {

    public TailSettings {
        Objects.requireNonNull(logRoot, "logRoot");
        Objects.requireNonNull(dockerContainersDir, "dockerContainersDir");
        includeGlobs = List.copyOf(includeGlobs);
        excludeGlobs = List.copyOf(excludeGlobs);
        hostFiles = List.copyOf(hostFiles);
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be a positive duration: " + pollInterval);
        }
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be >= 16: " + maxLineBytes);
        }
        Objects.requireNonNull(rotateWait, "rotateWait");
    }
}
