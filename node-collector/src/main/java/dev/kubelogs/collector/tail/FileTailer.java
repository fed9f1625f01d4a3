package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails files by identity (device + inode). Frames raw lines, never parses them. Semantics:
 * <ul>
 *   <li>a file renamed away from its path (rotation) keeps being read; it is let go once it has no complete line
 *       left and is either gone or idle for {@code rotateWait}; a last line without '\n' is then emitted NO_NEWLINE
 *       (so is every file's at a final drain, {@link #emitUnterminatedLines});</li>
 *   <li>a file truncated in place (copytruncate: it shrank, or the byte before its offset or its first bytes changed)
 *       has the rest of its generation read from the copy beside it if there is one, then generation + 1, offset 0
 *       ({@link Truncations});</li>
 *   <li>lines longer than {@code maxLineBytes} are emitted as PARTIAL pieces of exactly that size;</li>
 *   <li>files seen at the first start begin at the head or the tail (read.head); files found later, at the head.</li>
 * </ul>
 * The work is done by its parts: {@link PathFollower} (which file is at each discovered path), {@link FileOpener} and
 * {@link StartPositions} (opening a file, and where to start), {@link RestartRecovery} (files rotated while down),
 * {@link TailReader} (the read loop). Single-threaded: owned by the collector's tail thread.
 */
public final class FileTailer {
    private static final Logger LOG = LoggerFactory.getLogger(FileTailer.class);

    /** Receives framed lines. The line's offset is {@code file.offset()} at the time of the call. */
    public interface Sink {
        void line(TrackedFile file, byte[] buf, int off, int len, int flags) throws IOException;

        /**
         * Called after a line was written and the file's offset advanced: the place to roll a segment.
         *
         * @return false while the spool is full (back-pressure): a file's read stops at the end of its current buffer,
         *     the rest is read on a later pass
         */
        boolean afterLine() throws IOException;

        /** False while the spool is full: stop reading. */
        boolean accepting();
    }

    private final Discovery discovery;
    private final CollectorMetrics metrics;
    private final TrackedFiles files;
    private final WatcherHandover handover;
    private final StartPositions positions;
    private final FileOpener opener;
    private final PathFollower follower;
    private final RestartRecovery recovery;
    private final TailReader reader;

    public FileTailer(
            Discovery discovery,
            CreateWatcher watcher,
            int maxLineBytes,
            Duration rotateWait,
            CollectorMetrics metrics) {
        this.discovery = discovery;
        this.metrics = metrics;
        this.files = new TrackedFiles(watcher);
        this.handover = new WatcherHandover(watcher, metrics);
        this.positions = new StartPositions(maxLineBytes, metrics);
        PathProblems problems = new PathProblems(metrics);
        Truncations truncations = new Truncations(metrics);
        this.opener = new FileOpener(discovery, watcher, handover, positions, files, problems, truncations);
        this.follower = new PathFollower(discovery, watcher, handover, opener, files, problems, metrics);
        this.recovery = new RestartRecovery(positions, opener, files, metrics);
        this.reader = new TailReader(files, positions, truncations, maxLineBytes, rotateWait, metrics);
    }

    /** Called with the logical path of every container file opened (the collector asks the kubelet about new pods). */
    public void onNewContainerFile(Consumer<String> listener) {
        opener.onNewContainerFile(listener);
    }

    /**
     * Sets the starting positions: the committed state (null on a first start) and whether files found by the first
     * discovery of a first start begin at their tail. Closes anything open. Then runs that first discovery, and
     * re-opens rotated files of the state that still exist under their old directory.
     */
    public void initialize(CollectorState committed, boolean firstStart, boolean readFromHead) throws IOException {
        files.closeAll(); // files opened on creation and not yet matched stay: they are new since any committed state
        positions.reset(committed, firstStart && !readFromHead);
        follower.discover(true);
        positions.firstDiscoveryDone();
        for (String glob : discovery.includesMatchingNothing()) {
            LOG.warn(
                    "include.paths glob '{}' matches no file at start; check it (files that appear later are still "
                            + "read)",
                    glob);
        }
        recovery.resumeRotated();
        metrics.filesTracked.set(files.size());
    }

    /** Scans for new, rotated and vanished files. */
    public void discover() throws IOException {
        follower.discover(false);
        metrics.filesTracked.set(files.size());
    }

    /**
     * Reads every tracked file once, up to one buffer each, and emits complete lines. Returns true if anything was
     * consumed (call again until false to drain).
     */
    public boolean readPass(Sink sink) throws IOException {
        return reader.readPass(sink);
    }

    /**
     * Whether the last {@link #readPass} left bytes unread that were there already (it reads one buffer per file):
     * the next pass need not wait for the poll interval.
     */
    public boolean backlog() {
        return reader.backlog();
    }

    /**
     * Lets go of rotated files that have no complete line left and are gone, or idle for rotateWait; a final
     * line without newline is emitted with NO_NEWLINE first.
     */
    public void releaseFinished(Sink sink) throws IOException {
        reader.releaseFinished(sink);
        metrics.filesTracked.set(files.size());
    }

    /**
     * Emits each file's last line that has no newline yet, NO_NEWLINE, as if the file were let go: for a final drain
     * (the node is sealed), after which nothing more is read here, so such a line would otherwise never leave.
     * Call when {@link #readPass} has read every complete line.
     */
    public void emitUnterminatedLines(Sink sink) throws IOException {
        reader.emitUnterminatedLines(sink);
    }

    /** Snapshot of every tracked file's position (for the state committed with a segment). */
    public List<CollectorState.FileState> snapshot() {
        List<CollectorState.FileState> out = new ArrayList<>();
        Set<FileIdentity> seen = new HashSet<>();
        for (TrackedFile f : files.all()) {
            if (!seen.add(f.id)) {
                continue;
            }
            try {
                f.updateHead();
            } catch (IOException e) {
                // keep the previous fingerprint
            }
            CollectorState.FileState fs = new CollectorState.FileState();
            fs.path = f.logicalPath;
            fs.realPath = f.realPath.toString();
            fs.device = f.id.device();
            fs.inode = f.id.inode();
            fs.generation = f.generation;
            fs.kind = f.kind.name();
            fs.offset = f.offset;
            fs.headLen = f.headLen;
            fs.headCrc = f.headCrc;
            fs.generationSeenMillis = f.generationSeenMillis;
            out.add(fs);
        }
        return out;
    }

    /** The files let go in the last 7 days (for the committed state). */
    public List<CollectorState.Retired> retiredSnapshot() {
        return positions.retired();
    }

    public int trackedCount() {
        return files.size();
    }

    /** All open files (current and rotated). */
    public List<TrackedFile> files() {
        return files.all();
    }

    /** Closes every file, tracked or opened on creation and not yet matched to a path. */
    public void closeAll() {
        files.closeAll();
        handover.closeAll();
    }
}
