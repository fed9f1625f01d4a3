package dev.kubelogs.spool;

import java.util.Objects;

/**
 * One source file as the collector saw it. {@code path} is the logical path on the node (for example
 * {@code /var/log/containers/x_ns_c-<id>.log}, or {@code journal}); (device, inode, generation) identify
 * the bytes, so together with an offset they name every line ever read on the node.
 */
public record FileRef(String path, long device, long inode, int generation, SourceKind kind) {

    public FileRef {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must be >= 0: " + generation);
        }
    }

    /** {@code device + ":" + inode + ":" + generation}. */
    public String identity() {
        return device + ":" + inode + ":" + generation;
    }
}
