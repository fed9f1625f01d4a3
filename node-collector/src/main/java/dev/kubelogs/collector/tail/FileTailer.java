package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.metrics.Counter;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails files by identity (device + inode). Frames raw lines, never parses them. Semantics:
 * <ul>
 *   <li>a file renamed away from its path (rotation) keeps being read; it is let go once it has no complete line
 *       left and is either gone or idle for {@code rotateWait}; a last line without '\n' is then emitted NO_NEWLINE
 *       (so is every file's at a final drain, {@link #emitUnterminatedLines});</li>
 *   <li>a file that shrinks below its offset was truncated in place: generation + 1, offset 0;</li>
 *   <li>lines longer than {@code maxLineBytes} are emitted as PARTIAL pieces of exactly that size;</li>
 *   <li>files seen at the first start begin at the head or the tail (read.head); files found later, at the head.</li>
 * </ul>
 * Single-threaded: owned by the collector's tail thread.
 */
public final class FileTailer {
    private static final Logger LOG = LoggerFactory.getLogger(FileTailer.class);
    private static final long RETIRED_KEEP_MILLIS = Duration.ofDays(7).toMillis();
    /**
     * How long discovery waits for what normally follows within milliseconds: the watcher's open of a new file at a
     * watched path, the new file of a rotation whose link dangles meanwhile.
     */
    private static final long GRACE_NANOS = 1_000_000_000L;

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
    private final CreateWatcher watcher;
    private final int maxLineBytes;
    private final long rotateWaitNanos;
    private final CollectorMetrics metrics;
    private final byte[] buf;

    private final Map<String, TrackedFile> byLogical = new LinkedHashMap<>();
    private final Map<FileIdentity, TrackedFile> byIdentity = new HashMap<>();
    private final List<TrackedFile> rotated = new ArrayList<>();
    private final Map<String, String> discoveryProblems = new HashMap<>();
    private final Map<FileIdentity, CollectorState.Retired> retired = new HashMap<>();
    /** Files the watcher opened on creation, until discovery matches them to a path (or finds them gone). */
    private final Map<FileIdentity, CreateWatcher.Opened> openedOnCreation = new HashMap<>();
    /** New files at watched paths that discovery saw before the watcher handed them over: since when. */
    private final Map<FileIdentity, Long> awaitingWatcher = new HashMap<>();
    /** Logical paths of tailed files whose link dangles: since when. */
    private final Map<String, Long> danglingSince = new HashMap<>();

    /** Committed positions not yet matched to an open file (restart). */
    private final Map<FileIdentity, CollectorState.FileState> resume = new HashMap<>();

    private boolean tailNewFiles;
    /** The first discovery: files present at start have no creation event to wait for. */
    private boolean initializing;

    private java.util.function.Consumer<String> onNewContainerFile = path -> {};

    public FileTailer(
            Discovery discovery,
            CreateWatcher watcher,
            int maxLineBytes,
            Duration rotateWait,
            CollectorMetrics metrics) {
        this.discovery = discovery;
        this.watcher = watcher;
        this.maxLineBytes = maxLineBytes;
        this.rotateWaitNanos = rotateWait.toNanos();
        this.metrics = metrics;
        this.buf = new byte[Math.max(maxLineBytes + 1, 64 * 1024)];
    }

    /** Called with the logical path of every container file opened (the collector asks the kubelet about new pods). */
    public void onNewContainerFile(java.util.function.Consumer<String> listener) {
        this.onNewContainerFile = listener;
    }

    /**
     * Sets the starting positions: the committed state (null on a first start) and whether files found by the first
     * discovery of a first start begin at their tail. Closes anything open. Then runs that first discovery, and
     * re-opens rotated files of the state that still exist under their old directory.
     */
    public void initialize(CollectorState committed, boolean firstStart, boolean readFromHead) throws IOException {
        closeTracked(); // files opened on creation and not yet matched stay: they are new since any committed state
        resume.clear();
        retired.clear();
        if (committed != null) {
            for (CollectorState.FileState fs : committed.files) {
                resume.put(new FileIdentity(fs.device, fs.inode), fs);
            }
            if (committed.retired != null) {
                long now = System.currentTimeMillis();
                for (CollectorState.Retired r : committed.retired) {
                    if (now - r.releasedAtMillis < RETIRED_KEEP_MILLIS) {
                        retired.put(new FileIdentity(r.device, r.inode), r);
                    }
                }
            }
        }
        tailNewFiles = firstStart && !readFromHead;
        initializing = true;
        discover();
        initializing = false;
        tailNewFiles = false;
        for (String glob : discovery.includesMatchingNothing()) {
            LOG.warn(
                    "include.paths glob '{}' matches no file at start; check it (files that appear later are still "
                            + "read)",
                    glob);
        }
        // committed files that are no longer at a discovered path: rotated while we were down?
        for (CollectorState.FileState fs : new ArrayList<>(resume.values())) {
            FileIdentity id = new FileIdentity(fs.device, fs.inode);
            Path found = fs.realPath == null ? null : locate(Path.of(fs.realPath), id);
            if (found == null) {
                // while this process lived, an open file outlived its deletion; across a restart it does not
                metrics.filesGoneWhileDown.inc();
                LOG.warn(
                        "{} ({}:{}) was deleted while the collector was down; it was committed up to offset {}, and "
                                + "whatever was written after that is lost (counted in "
                                + "kubelogs_collector_files_gone_while_down_total)",
                        fs.path,
                        fs.device,
                        fs.inode,
                        fs.offset);
                resume.remove(id);
                continue;
            }
            TrackedFile f = open(fs.path, found, id, SourceKind.valueOf(fs.kind));
            if (f != null) {
                f.rotated = true;
                rotated.add(f);
                LOG.info("resuming rotated file {} at {} from offset {}", f, found, f.offset);
                if (!found.equals(Path.of(fs.realPath))) {
                    readRotatedAfter(fs, found);
                }
            }
        }
        resume.clear();
        metrics.filesTracked.set(byIdentity.size());
    }

    /**
     * Opens, from their head, the files rotated after the committed file {@code fs} (now at {@code found}) while no
     * state was committed: neither the state nor the tailed path knows them. Compressed ones cannot be read: counted.
     */
    private void readRotatedAfter(CollectorState.FileState fs, Path found) throws IOException {
        Path committedPath = Path.of(fs.realPath);
        // a file rotated before the committed one and written in the same clock tick is found too: if it was read, the
        // retired list (or the state) knows it and it resumes where it was let go
        RotatedSiblings.Found siblings = RotatedSiblings.modifiedSince(
                found.getParent(),
                committedPath.getFileName().toString(),
                Files.getLastModifiedTime(found).toMillis());
        for (Path p : siblings.readable()) {
            FileIdentity.Stat st;
            try {
                st = FileIdentity.stat(p);
            } catch (IOException e) {
                continue; // deleted meanwhile
            }
            if (byIdentity.containsKey(st.id())) {
                continue;
            }
            TrackedFile f = open(fs.path, p, st.id(), SourceKind.valueOf(fs.kind));
            if (f != null) {
                f.rotated = true;
                rotated.add(f);
                if (f.offset == 0) { // not one let go earlier, which resumes where it was left
                    metrics.filesRotatedWhileDown.inc();
                    LOG.info("{} was rotated in and out after the last commit; reading it from its head", f);
                }
            }
        }
        for (Path p : siblings.compressed()) {
            metrics.filesCompressedWhileDown.inc();
            LOG.warn(
                    "{} was rotated and compressed after the last commit of {}; compressed files are not read, so its "
                            + "lines are lost (counted in kubelogs_collector_files_compressed_while_down_total)",
                    p,
                    fs.path);
        }
    }

    /** Scans for new, rotated and vanished files. */
    public void discover() throws IOException {
        takeOpenedOnCreation();
        Map<String, Discovery.Candidate> candidates = discovery.list();
        Set<FileIdentity> awaited = new HashSet<>();
        Set<String> dangling = new HashSet<>();
        for (Discovery.Candidate c : candidates.values()) {
            FileIdentity.Stat st;
            try {
                st = FileIdentity.stat(c.path());
            } catch (NoSuchFileException e) {
                if (byLogical.containsKey(c.logicalPath()) && briefly(danglingSince, c.logicalPath())) {
                    dangling.add(c.logicalPath()); // a rotation renamed the file away; its successor comes next
                    continue;
                }
                problem(
                        c.logicalPath(),
                        "vanished_target",
                        "cannot follow " + c.path() + ": the file or its symlink target is gone",
                        null);
                continue;
            } catch (IOException e) {
                problem(c.logicalPath(), "stat", "cannot stat " + c.path() + ": " + e, e);
                continue;
            }
            if (!st.regular()) {
                problem(c.logicalPath(), "not_regular", c.path() + " is not a regular file; skipped", null);
                continue;
            }
            TrackedFile cur = byLogical.get(c.logicalPath());
            if (cur != null && cur.id.equals(st.id())) {
                clearProblem(c.logicalPath());
                continue;
            }
            if (cur != null) {
                markRotated(cur, "a new file took its path");
            }
            if (byIdentity.containsKey(st.id())) {
                // the same file is already read under another path (a hard link, or a rotated file that is still
                // being drained reappearing under a matching name): one reader per identity, never two
                continue;
            }
            if (leftToWatcher(c, st.id())) {
                awaited.add(st.id());
                continue;
            }
            TrackedFile f = open(c.logicalPath(), c.path(), st.id(), c.kind());
            if (f != null) {
                byLogical.put(c.logicalPath(), f);
                clearProblem(c.logicalPath());
                watcher.watchTailedFile(f.realPath, c);
            }
        }
        adoptGoneOnCreation();
        awaitingWatcher.keySet().retainAll(awaited);
        danglingSince.keySet().retainAll(dangling);
        for (Iterator<Map.Entry<String, TrackedFile>> it = byLogical.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, TrackedFile> e = it.next();
            if (!candidates.containsKey(e.getKey()) || discoveryProblems.containsKey(e.getKey())) {
                TrackedFile f = e.getValue();
                it.remove();
                f.rotated = true;
                rotated.add(f);
                LOG.info("{} left its path; reading it to its end before letting it go", f);
            }
        }
        discoveryProblems.keySet().retainAll(candidates.keySet()); // a path that comes back is reported afresh
        metrics.filesTracked.set(byIdentity.size());
    }

    /** Whether {@code key} was first seen less than {@link #GRACE_NANOS} ago (and notes it if new). */
    private static <K> boolean briefly(Map<K, Long> since, K key) {
        long now = System.nanoTime();
        return now - since.computeIfAbsent(key, k -> now) < GRACE_NANOS;
    }

    /**
     * A new file at a path the watcher opens files at is left to it (so each creation event is matched to one file),
     * unless no event brought it within {@link #GRACE_NANOS}.
     */
    private boolean leftToWatcher(Discovery.Candidate c, FileIdentity id) {
        if (initializing || openedOnCreation.containsKey(id)) {
            return false;
        }
        Path real;
        try {
            real = c.path().toRealPath();
        } catch (IOException e) {
            return false; // open() reports it
        }
        if (!watcher.expects(real)) {
            return false;
        }
        if (briefly(awaitingWatcher, id)) {
            return true;
        }
        LOG.debug("{}: no creation event for {} within a second; opening it without one", c.logicalPath(), id);
        return false;
    }

    /** Takes the files the watcher opened on creation; one already tracked under its identity is a duplicate. */
    private void takeOpenedOnCreation() {
        CreateWatcher.Opened o;
        while ((o = watcher.poll()) != null) {
            if (byIdentity.containsKey(o.id()) || openedOnCreation.containsKey(o.id())) {
                closeQuietly(o.channel());
            } else {
                openedOnCreation.put(o.id(), o);
            }
        }
    }

    /**
     * Files opened on creation that discovery did not find at a path: deleted or replaced since. Their descriptor
     * still reads them: read them to their end as rotated files of the path they were created at.
     */
    private void adoptGoneOnCreation() {
        for (CreateWatcher.Opened o : new ArrayList<>(openedOnCreation.values())) {
            Discovery.Candidate c = watcher.candidateAt(o.path());
            if (c == null) {
                openedOnCreation.remove(o.id());
                closeQuietly(o.channel());
                watcher.released(o.id());
                watcher.missed(o.path()); // no longer known where it belongs: it cannot be named, so it is not read
                continue;
            }
            TrackedFile f = open(c.logicalPath(), o.path(), o.id(), c.kind());
            if (f != null) {
                f.rotated = true;
                rotated.add(f);
                LOG.info("{} was created and deleted or replaced before discovery saw it; reading it to its end", f);
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // a read-only channel: nothing to lose
        }
    }

    private void markRotated(TrackedFile f, String why) {
        byLogical.remove(f.logicalPath);
        f.rotated = true;
        f.lastChangeNanos = System.nanoTime();
        rotated.add(f);
        metrics.rotations.inc();
        LOG.info("rotation: {} ({}); reading it to its end before letting it go", f, why);
    }

    /**
     * Opens a file (or takes the channel the watcher opened on its creation) and decides its start position. Returns
     * null (after logging) if it cannot be opened.
     */
    private TrackedFile open(String logical, Path path, FileIdentity expected, SourceKind kind) {
        // a file opened on creation was opened without following links, in a watched directory under the allowed roots
        CreateWatcher.Opened early = openedOnCreation.remove(expected);
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
            int generation = 0;
            long offset = 0;
            String how;
            CollectorState.FileState fs = resume.remove(expected);
            CollectorState.Retired ret = retired.remove(expected);
            if (fs != null) {
                generation = fs.generation;
                offset = fs.offset;
                how = "resumed at committed offset";
                boolean headChanged = fs.headLen > 0 && TrackedFile.crcOfHead(ch, fs.headLen) != fs.headCrc;
                if (size < offset || headChanged) {
                    generation++;
                    offset = 0;
                    how = headChanged
                            ? "content at this inode changed since the last run (inode reused or rewritten): new generation"
                            : "truncated since the last run (was committed at " + fs.offset + ", size now " + size
                                    + "): new generation";
                    metrics.truncations.inc();
                }
            } else if (ret != null
                    && size >= ret.offset
                    && (ret.headLen == 0 || TrackedFile.crcOfHead(ch, ret.headLen) == ret.headCrc)) {
                generation = ret.generation;
                offset = ret.offset;
                how =
                        "a file let go earlier showed up again (renamed into an included name): resumed where it was left";
            } else if (ret != null) {
                generation = ret.generation + 1;
                how = "inode reused after a released file: new generation, from head";
            } else if (tailNewFiles && early == null) { // a file opened on creation is new since the start
                offset = tailOffset(ch, size);
                how = "first start with read.head Off: from tail";
            } else {
                how = "from head";
            }
            TrackedFile f = new TrackedFile(logical, expected, kind, real, ch, generation, offset);
            if (fs != null && generation == fs.generation) {
                f.headLen = fs.headLen;
                f.headCrc = fs.headCrc;
            } else if (ret != null && generation == ret.generation) {
                f.headLen = ret.headLen;
                f.headCrc = ret.headCrc;
            }
            f.lastSize = size;
            byIdentity.put(expected, f);
            if (early == null) {
                watcher.claimedByTail(expected);
            }
            if (kind == SourceKind.CONTAINER) {
                onNewContainerFile.accept(logical);
            }
            LOG.info("tailing {} -> {} ({}, offset {}, size {})", logical, real, how, offset, size);
            return f;
        } catch (IOException e) {
            closeQuietly(ch);
            if (early != null) {
                watcher.released(expected);
            }
            problem(logical, "open", "cannot read " + path + ": " + e, e);
            return null;
        }
    }

    /** The real path of {@code path} (every link resolved) if it lies under the allowed roots; else null, reported. */
    private Path readableTarget(String logical, Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            openProblem(logical, path, e);
            return null;
        }
        if (!discovery.allows(real)) {
            refuse(logical, path, real);
            return null;
        }
        return real;
    }

    private FileChannel openChannel(String logical, Path path, Path real) {
        try {
            return FileChannel.open(real, StandardOpenOption.READ);
        } catch (IOException e) {
            openProblem(logical, path, e);
            return null;
        }
    }

    private void openProblem(String logical, Path path, IOException e) {
        if (e instanceof AccessDeniedException) {
            problem(logical, "permission", "permission denied opening " + path + "; skipped until readable", null);
        } else if (e instanceof NoSuchFileException) {
            problem(logical, "vanished_target", "cannot open " + path + ": gone", null);
        } else {
            problem(logical, "open", "cannot open " + path + ": " + e, e);
        }
    }

    /** The position after the last newline (read.tail: skip what is there, but never start mid-line). */
    private long tailOffset(FileChannel ch, long size) throws IOException {
        if (size == 0) {
            return 0;
        }
        long pos = size;
        long limit = Math.max(0, size - maxLineBytes);
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (pos > limit) {
            int len = (int) Math.min(b.capacity(), pos - limit);
            b.clear().limit(len);
            long start = pos - len;
            int read = 0;
            while (b.hasRemaining()) {
                int n = ch.read(b, start + read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            for (int i = read - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            pos = start;
        }
        return pos == 0 ? 0 : size;
    }

    private void problem(String logical, String kind, String message, Throwable t) {
        if (firstReport(logical, message)) {
            metrics.error(kind);
            LOG.warn("{}: {}", logical, message);
        }
    }

    /** A link out of the allowed directories (to /etc/shadow, a token file): never opened; reported once per target. */
    private void refuse(String logical, Path path, Path real) {
        String message = path + " resolves to " + real + ", outside " + discovery.allowedRoots() + "; not read";
        if (firstReport(logical, message)) {
            metrics.symlinksRefused.inc();
            LOG.warn("{}: {}", logical, message);
        }
    }

    /** Records a problem of a path; true unless the same problem was already reported for it (not on every poll). */
    private boolean firstReport(String logical, String message) {
        return !message.equals(discoveryProblems.put(logical, message));
    }

    private void clearProblem(String logical) {
        if (discoveryProblems.remove(logical) != null) {
            LOG.info("{}: readable again", logical);
        }
    }

    /**
     * Reads every tracked file once, up to one buffer each, and emits complete lines. Returns true if anything was
     * consumed (call again until false to drain).
     */
    public boolean readPass(Sink sink) throws IOException {
        boolean progress = false;
        for (TrackedFile f : files()) {
            if (!sink.accepting()) {
                break;
            }
            progress |= readFile(f, sink);
        }
        return progress;
    }

    /** Reads up to one buffer of complete lines from {@code f}. */
    private boolean readFile(TrackedFile f, Sink sink) throws IOException {
        long size;
        try {
            size = f.channel.size();
        } catch (IOException e) {
            fileProblem(f, "read", "cannot stat open file: " + e);
            return false;
        }
        long now = System.nanoTime();
        if (size != f.lastSize) {
            f.lastSize = size;
            f.lastChangeNanos = now;
        }
        if (size < f.offset) {
            LOG.warn(
                    "{} was truncated in place (size {} < offset {}): copytruncate; reading the new content from 0 as generation {}",
                    f,
                    size,
                    f.offset,
                    f.generation + 1);
            metrics.truncations.inc();
            f.newGeneration();
        }
        if (size == f.offset) {
            return false;
        }
        int n;
        try {
            n = fill(f.channel, f.offset, (int) Math.min(buf.length, size - f.offset));
        } catch (IOException e) {
            fileProblem(f, "read", "read error at offset " + f.offset + ": " + e);
            return false;
        }
        if (f.lastProblem != null) {
            LOG.info("{}: readable again", f);
            f.lastProblem = null;
        }
        int consumed = frame(f, n, sink);
        return consumed > 0;
    }

    private int fill(FileChannel ch, long position, int want) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, want);
        int total = 0;
        while (b.hasRemaining()) {
            int r = ch.read(b, position + total);
            if (r <= 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    /** Emits the complete lines in buf[0, n) (and PARTIAL pieces of over-long ones). Returns bytes consumed. */
    private int frame(TrackedFile f, int n, Sink sink) throws IOException {
        Counter lines =
                metrics.records(f.kind == SourceKind.CONTAINER ? CollectorMetrics.CONTAINER : CollectorMetrics.HOST);
        Counter bytes =
                metrics.bytes(f.kind == SourceKind.CONTAINER ? CollectorMetrics.CONTAINER : CollectorMetrics.HOST);
        int s = 0;
        long lineCount = 0;
        // back-pressure (afterLine false) is obeyed between buffers, not inside one: what a writer wrote at once, a
        // stack trace say, is not cut where the spool reached its limit (the job would wait for the rest only as long
        // as its multiline flush timeout); the spool may exceed its limit by one buffer
        while (true) {
            int nl = indexOfNewline(buf, s, n);
            int end = nl >= 0 ? nl : n;
            int len = end - s;
            while (len > maxLineBytes) {
                sink.line(f, buf, s, maxLineBytes, LineFlags.PARTIAL);
                f.offset += maxLineBytes;
                s += maxLineBytes;
                len -= maxLineBytes;
                lineCount++;
                metrics.longLinesSplit.inc();
                sink.afterLine();
            }
            if (nl < 0) {
                break;
            }
            sink.line(f, buf, s, len, 0);
            f.offset += len + 1;
            s = nl + 1;
            lineCount++;
            sink.afterLine();
        }
        lines.inc(lineCount);
        bytes.inc(s);
        return s;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Index of the first '\n' in b[from, to), or -1. Scans 8 bytes at a time (SWAR). */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void fileProblem(TrackedFile f, String kind, String message) {
        if (!message.equals(f.lastProblem)) {
            f.lastProblem = message;
            metrics.error(kind);
            LOG.warn("{}: {}", f, message);
        }
    }

    /**
     * Lets go of rotated files that have no complete line left and are gone, or idle for rotateWait; a final
     * line without newline is emitted with NO_NEWLINE first.
     */
    public void releaseFinished(Sink sink) throws IOException {
        long now = System.nanoTime();
        for (Iterator<TrackedFile> it = rotated.iterator(); it.hasNext(); ) {
            TrackedFile f = it.next();
            long size;
            try {
                size = f.channel.size();
            } catch (IOException e) {
                fileProblem(f, "read", "cannot stat open file: " + e);
                continue;
            }
            long pending = size - f.offset;
            if (pending > maxLineBytes || (pending > 0 && hasNewline(f, pending))) {
                continue; // complete lines still to read
            }
            boolean idle = now - f.lastChangeNanos >= rotateWaitNanos;
            boolean gone = false;
            if (!idle && now - f.lastLocateNanos >= 1_000_000_000L) {
                f.lastLocateNanos = now;
                gone = locate(f.realPath, f.id) == null;
            }
            if (!idle && !gone) {
                continue;
            }
            if (pending > 0) {
                emitUnterminated(f, (int) pending, sink);
            }
            it.remove();
            byIdentity.remove(f.id);
            CollectorState.Retired r = new CollectorState.Retired();
            r.device = f.id.device();
            r.inode = f.id.inode();
            r.generation = f.generation;
            r.releasedAtMillis = System.currentTimeMillis();
            try {
                f.updateHead();
            } catch (IOException e) {
                // keep what we had
            }
            r.offset = f.offset;
            r.headLen = f.headLen;
            r.headCrc = f.headCrc;
            retired.put(f.id, r);
            f.close();
            watcher.released(f.id);
            metrics.filesReleased.inc();
            LOG.info("released {} at offset {} ({})", f, f.offset, gone ? "file deleted" : "idle since rotation");
        }
        metrics.filesTracked.set(byIdentity.size());
    }

    private boolean hasNewline(TrackedFile f, long pending) throws IOException {
        int n = fill(f.channel, f.offset, (int) pending);
        return indexOfNewline(buf, 0, n) >= 0;
    }

    /** Finds the file with identity {@code id}: at {@code realPath}, or renamed within its directory. Null if gone. */
    static Path locate(Path realPath, FileIdentity id) {
        try {
            if (FileIdentity.stat(realPath).id().equals(id)) {
                return realPath;
            }
        } catch (IOException e) {
            // renamed or deleted: look in the directory
        }
        Path dir = realPath.getParent();
        if (dir == null) {
            return null;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                try {
                    if (!Files.isSymbolicLink(p) && FileIdentity.stat(p).id().equals(id)) {
                        return p;
                    }
                } catch (IOException e) {
                    // vanished while listing
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /**
     * Emits each file's last line that has no newline yet, NO_NEWLINE, as if the file were let go: for a final drain
     * (the node is sealed), after which nothing more is read here, so such a line would otherwise never leave.
     * Call when {@link #readPass} has read every complete line.
     */
    public void emitUnterminatedLines(Sink sink) throws IOException {
        Set<FileIdentity> seen = new HashSet<>();
        for (TrackedFile f : files()) {
            if (!seen.add(f.id)) {
                continue;
            }
            long pending;
            try {
                pending = f.channel.size() - f.offset;
            } catch (IOException e) {
                fileProblem(f, "read", "cannot stat open file: " + e);
                continue;
            }
            if (pending > 0 && pending <= maxLineBytes && !hasNewline(f, pending)) {
                emitUnterminated(f, (int) pending, sink);
            }
        }
    }

    private void emitUnterminated(TrackedFile f, int pending, Sink sink) throws IOException {
        int n = fill(f.channel, f.offset, pending);
        sink.line(f, buf, 0, n, LineFlags.NO_NEWLINE);
        f.offset += n;
        metrics.records(f.kind == SourceKind.CONTAINER ? CollectorMetrics.CONTAINER : CollectorMetrics.HOST)
                .inc();
        metrics.bytes(f.kind == SourceKind.CONTAINER ? CollectorMetrics.CONTAINER : CollectorMetrics.HOST)
                .inc(n);
        sink.afterLine();
    }

    /** Snapshot of every tracked file's position (for the state committed with a segment). */
    public List<CollectorState.FileState> snapshot() {
        List<CollectorState.FileState> out = new ArrayList<>();
        Set<FileIdentity> seen = new HashSet<>();
        List<TrackedFile> all = new ArrayList<>(byLogical.values());
        all.addAll(rotated);
        for (TrackedFile f : all) {
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
            out.add(fs);
        }
        return out;
    }

    public List<CollectorState.Retired> retiredSnapshot() {
        return new ArrayList<>(retired.values());
    }

    public int trackedCount() {
        return byIdentity.size();
    }

    /** All open files (current and rotated). */
    public List<TrackedFile> files() {
        List<TrackedFile> all = new ArrayList<>(byLogical.values());
        all.addAll(rotated);
        return all;
    }

    /** Closes every file, tracked or opened on creation and not yet matched to a path. */
    public void closeAll() {
        closeTracked();
        for (CreateWatcher.Opened o : openedOnCreation.values()) {
            closeQuietly(o.channel());
            watcher.released(o.id());
        }
        openedOnCreation.clear();
    }

    private void closeTracked() {
        for (TrackedFile f : byIdentity.values()) {
            f.close();
            watcher.released(f.id);
        }
        byIdentity.clear();
        byLogical.clear();
        rotated.clear();
    }
}
