package dev.kubelogs.collector.tail;

import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a discovered file for tailing, or takes the descriptor the create watcher opened at its creation. A file is
 * opened only where every link of its path leads under the allowed directories, and only if it is still the file
 * discovery saw (one replaced between the stat and the open is left to the next discovery). Where reading starts is
 * up to {@link StartPositions}; a committed file truncated in place while the collector was down goes to
 * {@link Truncations}, which reads the unread rest of its generation from logrotate's copy.
 */
final class FileOpener {
    private static final Logger LOG = LoggerFactory.getLogger(FileOpener.class);

    private final Discovery discovery;
    private final CreateWatcher watcher;
    private final WatcherHandover handover;
    private final StartPositions positions;
    private final TrackedFiles files;
    private final PathProblems problems;
    private final Truncations truncations;
    private Consumer<String> onNewContainerFile = path -> {};

    FileOpener(
            Discovery discovery,
            CreateWatcher watcher,
            WatcherHandover handover,
            StartPositions positions,
            TrackedFiles files,
            PathProblems problems,
            Truncations truncations) {
        this.discovery = discovery;
        this.watcher = watcher;
        this.handover = handover;
        this.positions = positions;
        this.files = files;
        this.problems = problems;
        this.truncations = truncations;
    }

    /** Called with the logical path of every container file opened. */
    void onNewContainerFile(Consumer<String> listener) {
        this.onNewContainerFile = listener;
    }

    /**
     * Opens the file {@code expected} at {@code path} (logical path {@code logical}) and adds it to the tracked files.
     * Returns null (after reporting why, if it is a problem) if it cannot be opened.
     */
    TrackedFile open(String logical, Path path, FileIdentity expected, SourceKind kind) {
        // a file opened on creation was opened without following links, in a watched directory under the allowed roots
        CreateWatcher.Opened early = handover.take(expected);
        Path real = early != null ? early.path() : readableTarget(logical, path);
        FileChannel ch = early != null ? early.channel() : real == null ? null : openChannel(logical, path, real);
        if (ch == null) {
            return null;
        }
        try {
            if (early == null && !FileIdentity.stat(real).id().equals(expected)) {
                ch.close();
                return null; // replaced between stat and open: the next discovery sees the new one
            }
            long size = ch.size();
            StartPositions.Start start = positions.startOf(expected, ch, size, early != null);
            TrackedFile f = new TrackedFile(logical, expected, kind, real, ch, start.generation(), start.offset());
            f.headLen = start.headLen();
            f.headCrc = start.headCrc();
            f.lastSize = size;
            if (start.generationSeenMillis() > 0 || start.truncated()) {
                // a generation of an earlier run (0: its state did not say when it began; any copy may be its copy)
                f.generationSeenMillis = start.generationSeenMillis();
            }
            files.opened(f);
            if (early == null) {
                watcher.claimedByTail(expected);
            }
            if (kind == SourceKind.CONTAINER) {
                onNewContainerFile.accept(logical);
            }
            LOG.info("tailing {} -> {} ({}, offset {}, size {})", logical, real, start.how(), start.offset(), size);
            if (start.truncated()) {
                // copytruncate while the collector was down: the unread rest comes from logrotate's copy, as when
                // running; what was read of the generation is all that is known of its size
                truncations.truncated(f, start.offset(), start.how());
            }
            return f;
        } catch (IOException e) {
            CreateWatcher.closeQuietly(ch);
            if (early != null) {
                watcher.released(expected);
            }
            problems.report(logical, "open", "cannot read " + path + ": " + e);
            return null;
        }
    }

    /** The real path of {@code path} (every link resolved) if it lies under the allowed roots; else null, reported. */
    private Path readableTarget(String logical, Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            problems.cannotOpen(logical, path, e);
            return null;
        }
        if (!discovery.allows(real)) {
            problems.refuse(logical, path, real, discovery.allowedRoots());
            return null;
        }
        return real;
    }

    private FileChannel openChannel(String logical, Path path, Path real) {
        try {
            return FileChannel.open(real, StandardOpenOption.READ);
        } catch (IOException e) {
            problems.cannotOpen(logical, path, e);
            return null;
        }
    }
}
