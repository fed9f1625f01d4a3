package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a file starts being read when it is opened: at the offset the committed state has for it, where it was let
 * go (a released file that shows up again), at its tail (files found by the first discovery of a first start without
 * read.head), else at its head. Other content at a known identity (truncated, or the inode reused) is a new
 * generation, read from its head. Keeps the released files for 7 days, so that a reused inode never gets the same
 * identity twice.
 */
final class StartPositions {
    private static final long RETIRED_KEEP_MILLIS = Duration.ofDays(7).toMillis();

    /**
     * Where to start, and the head fingerprint known for that generation (length 0 when none is); when the committed
     * generation was found truncated in place ({@code truncated}), its committed position and when it began to be read
     * (0: unknown), so that its copy can be looked for as for a truncation found while running.
     */
    record Start(
            int generation,
            long offset,
            int headLen,
            long headCrc,
            String how,
            boolean truncated,
            long generationSeenMillis) {
        Start(int generation, long offset, int headLen, long headCrc, String how) {
            this(generation, offset, headLen, headCrc, how, false, 0);
        }
    }

    private final int maxLineBytes;
    private final CollectorMetrics metrics;
    /** Committed positions not yet matched to an open file (restart). */
    private final Map<FileIdentity, CollectorState.FileState> committed = new HashMap<>();

    private final Map<FileIdentity, CollectorState.Retired> retired = new HashMap<>();
    private boolean fromTail;

    StartPositions(int maxLineBytes, CollectorMetrics metrics) {
        this.maxLineBytes = maxLineBytes;
        this.metrics = metrics;
    }

    /**
     * Starts over from {@code state} (null on a first start); until {@link #firstDiscoveryDone}, files without a
     * position start at their tail if {@code fromTail}.
     */
    void reset(CollectorState state, boolean fromTail) {
        committed.clear();
        retired.clear();
        this.fromTail = fromTail;
        if (state == null) {
            return;
        }
        for (CollectorState.FileState fs : state.files) {
            committed.put(new FileIdentity(fs.device, fs.inode), fs);
        }
        if (state.retired != null) {
            long now = System.currentTimeMillis();
            for (CollectorState.Retired r : state.retired) {
                if (now - r.releasedAtMillis < RETIRED_KEEP_MILLIS) {
                    retired.put(new FileIdentity(r.device, r.inode), r);
                }
            }
        }
    }

    /** Files found from now on are new since the start: they start at their head. */
    void firstDiscoveryDone() {
        fromTail = false;
    }

    /** The committed files not opened yet. */
    List<CollectorState.FileState> unmatched() {
        return new ArrayList<>(committed.values());
    }

    /** The committed file {@code id} is gone: its position is of no use any more. */
    void forget(FileIdentity id) {
        committed.remove(id);
    }

    void forgetUnmatched() {
        committed.clear();
    }

    /**
     * Where the file {@code id}, open as {@code ch} and {@code size} bytes long, starts. Its committed or released
     * position is used up by the call. A file the watcher opened on creation is new since the start, never read
     * from its tail.
     */
    Start startOf(FileIdentity id, FileChannel ch, long size, boolean openedOnCreation) throws IOException {
        CollectorState.FileState fs = committed.remove(id);
        CollectorState.Retired ret = retired.remove(id);
        if (fs != null) {
            boolean headChanged = fs.headLen > 0 && TrackedFile.crcOfHead(ch, fs.headLen) != fs.headCrc;
            if (size < fs.offset || headChanged) {
                String how = headChanged
                        ? "its first bytes changed since the last run (truncated in place, or the inode reused)"
                        : "truncated since the last run (committed at " + fs.offset + ", size now " + size + ")";
                return new Start(fs.generation, fs.offset, fs.headLen, fs.headCrc, how, true, fs.generationSeenMillis);
            }
            return new Start(
                    fs.generation,
                    fs.offset,
                    fs.headLen,
                    fs.headCrc,
                    "resumed at committed offset",
                    false,
                    fs.generationSeenMillis);
        }
        if (ret != null
                && size >= ret.offset
                && (ret.headLen == 0 || TrackedFile.crcOfHead(ch, ret.headLen) == ret.headCrc)) {
            return new Start(
                    ret.generation,
                    ret.offset,
                    ret.headLen,
                    ret.headCrc,
                    "a file let go earlier showed up again (renamed into an included name): resumed where it was left");
        }
        if (ret != null) {
            return new Start(
                    ret.generation + 1, 0, 0, 0, "inode reused after a released file: new generation, from head");
        }
        if (fromTail && !openedOnCreation) {
            return new Start(0, tailOffset(ch, size), 0, 0, "first start with read.head Off: from tail");
        }
        return new Start(0, 0, 0, 0, "from head");
    }

    /** {@code f} is let go at its offset: if it shows up again it resumes there; if its inode is reused, not. */
    void retire(TrackedFile f) {
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
    }

    /** The files let go in the last 7 days, for the committed state. */
    List<CollectorState.Retired> retired() {
        return new ArrayList<>(retired.values());
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
}
