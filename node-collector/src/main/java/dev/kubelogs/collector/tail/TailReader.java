package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.metrics.Counter;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the tracked files and hands their complete lines to the sink, up to one buffer per file and pass; a line
 * longer than {@code maxLineBytes} leaves in PARTIAL pieces of exactly that size. A file that shrinks below its offset
 * or below a size it had, whose byte before the offset is no longer the one consumed there (read with every read), or
 * whose first bytes are no longer its generation's (looked at about once a second), was truncated in place
 * (copytruncate): the rest of the generation is read from the copy beside it if there is one
 * ({@link Truncations}), its last line without '\n' emitted NO_NEWLINE, and the file is read again from 0 as the next
 * generation. A rotated file is let go once it has no complete line left and is gone or idle for {@code rotateWait};
 * its last line without '\n' is then emitted NO_NEWLINE.
 */
final class TailReader {
    private static final Logger LOG = LoggerFactory.getLogger(TailReader.class);
    private static final long LOCATE_INTERVAL_NANOS = 1_000_000_000L;
    /**
     * How often a file's first bytes are compared with its generation's: a truncation followed by more writes than
     * were read before it, with the same byte before the offset (a newline, often), is seen no other way. One read of
     * at most 1 KiB per file and interval.
     */
    private static final long HEAD_CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final TrackedFiles files;
    private final StartPositions positions;
    private final int maxLineBytes;
    private final long rotateWaitNanos;
    private final CollectorMetrics metrics;
    private final Truncations truncations;
    private final byte[] buf;
    /** Whether the last pass left bytes unread in some file because one buffer per file and pass was the limit. */
    private boolean backlog;

    TailReader(
            TrackedFiles files,
            StartPositions positions,
            Truncations truncations,
            int maxLineBytes,
            Duration rotateWait,
            CollectorMetrics metrics) {
        this.files = files;
        this.positions = positions;
        this.maxLineBytes = maxLineBytes;
        this.rotateWaitNanos = rotateWait.toNanos();
        this.metrics = metrics;
        this.truncations = truncations;
        // one byte more than a read frames: the byte before the offset is read with it
        this.buf = new byte[Math.max(maxLineBytes + 2, 64 * 1024 + 1)];
    }

    /** Reads every tracked file once, up to one buffer each. Returns true if anything was consumed. */
    boolean readPass(FileTailer.Sink sink) throws IOException {
        boolean progress = false;
        backlog = false;
        for (TrackedFile f : files.all()) {
            if (!sink.accepting()) {
                break;
            }
            progress |= readFile(f, sink);
        }
        return progress;
    }

    /**
     * Whether the last {@link #readPass} stopped short of a file's end because of its one buffer per file (or read
     * from a truncated generation's copy, after which the file itself is next): more is ready to read at once.
     */
    boolean backlog() {
        return backlog;
    }

    /** Reads up to one buffer of complete lines from {@code f}. */
    private boolean readFile(TrackedFile f, FileTailer.Sink sink) throws IOException {
        if (f.copy != null) {
            return readCopy(f, sink);
        }
        long size;
        try {
            size = f.channel.size();
        } catch (IOException e) {
            fileProblem(f, "read", "cannot stat open file: " + e);
            return false;
        }
        long now = System.nanoTime();
        long seenSize = f.lastSize;
        if (size != f.lastSize) {
            f.lastSize = size;
            f.lastChangeNanos = now;
        }
        String truncation;
        try {
            truncation = truncation(f, size, seenSize, now);
        } catch (IOException e) {
            fileProblem(f, "read", "cannot read the head of the file: " + e);
            return false;
        }
        if (truncation != null) {
            // what the generation was seen to hold is known only if it was seen before the truncation: a file whose
            // head changed may have been seen after it, with the new content
            boolean sizeOfGeneration = size < f.offset || size < seenSize;
            truncations.truncated(f, sizeOfGeneration ? seenSize : f.offset, truncation);
            if (f.copy != null) {
                return readCopy(f, sink);
            }
        }
        if (size == f.offset) {
            return false;
        }
        // the byte before the offset is read too: if it is not the one consumed there, the file was truncated and
        // written past the offset since the last pass (found here at once, not at the next look at its first bytes)
        int before = f.offset > 0 && f.byteBeforeOffset != TrackedFile.UNKNOWN_BYTE ? 1 : 0;
        long available = size - f.offset + before;
        if (available > buf.length) {
            backlog = true;
        }
        int n;
        try {
            n = fill(f.channel, f.offset - before, (int) Math.min(buf.length, available));
        } catch (IOException e) {
            fileProblem(f, "read", "read error at offset " + f.offset + ": " + e);
            return false;
        }
        if (f.lastProblem != null) {
            LOG.info("{}: readable again", f);
            f.lastProblem = null;
        }
        if (before == 1 && (n == 0 || buf[0] != f.byteBeforeOffset)) {
            truncations.truncated(
                    f,
                    f.offset,
                    "the byte before offset " + f.offset + " is not the one read there: truncated and written past it");
            return f.copy == null || readCopy(f, sink);
        }
        boolean fromHead = f.offset == 0;
        int consumed = frame(f, before, n, sink);
        if (fromHead) {
            f.headRead(buf, consumed);
        }
        return consumed > 0;
    }

    /**
     * How {@code f} (now {@code size} bytes, {@code seenSize} when last looked at) shows it was truncated in place, or
     * null. Files only grow: one shorter than what was read, or than it was, was truncated, unless its first bytes are
     * still the generation's (cut back, not rewritten); one whose first bytes changed was truncated and written past
     * the offset between two looks.
     */
    private String truncation(TrackedFile f, long size, long seenSize, long now) throws IOException {
        if (size < f.offset) {
            return "size " + size + " < offset " + f.offset;
        }
        boolean shrank = size < seenSize;
        if (!shrank && now - f.lastHeadCheckNanos < HEAD_CHECK_INTERVAL_NANOS) {
            return null;
        }
        f.lastHeadCheckNanos = now;
        if (shrank && f.headLen == 0) {
            return "size " + size + " < " + seenSize + " a moment ago";
        }
        if (f.headUnchanged(buf)) {
            return null;
        }
        return shrank
                ? "size " + size + " < " + seenSize + " a moment ago, and its first bytes are other ones"
                : "its first bytes are other ones: truncated and written past offset " + f.offset
                        + " between two looks";
    }

    /**
     * Reads up to one buffer of the truncated generation's rest from its copy, as if from the file (same generation
     * and offsets); the copy's last line without '\n' will get none: it is emitted NO_NEWLINE. At the copy's end the
     * next generation begins.
     */
    private boolean readCopy(TrackedFile f, FileTailer.Sink sink) throws IOException {
        backlog = true;
        GenerationCopy copy = f.copy;
        int want = (int) Math.min(buf.length, copy.end - f.offset);
        int n = 0;
        String endedEarly = null;
        try {
            n = fill(copy.channel, f.offset, want);
            if (n < want) {
                endedEarly = "it is shorter than when it was found";
            }
        } catch (IOException e) {
            endedEarly = e.toString();
        }
        if (endedEarly != null) {
            truncations.copyEndedEarly(f, f.offset + n, endedEarly);
        }
        long before = f.offset;
        int consumed = frame(f, 0, n, sink);
        if (consumed < n && f.offset + (n - consumed) == copy.end) {
            emitNoNewline(f, consumed, n - consumed, sink);
        }
        truncations.readFromCopy(f.offset - before);
        if (f.offset == copy.end) {
            truncations.copyRead(f);
        }
        return true;
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

    /** Emits the complete lines in buf[start, n) (and PARTIAL pieces of over-long ones). Returns bytes consumed. */
    private int frame(TrackedFile f, int start, int n, FileTailer.Sink sink) throws IOException {
        String source = source(f);
        Counter lines = metrics.records(source);
        Counter bytes = metrics.bytes(source);
        int s = start;
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
        bytes.inc(s - start);
        if (s > start) {
            f.byteBeforeOffset = buf[s - 1];
        }
        return s - start;
    }

    private static String source(TrackedFile f) {
        return f.kind == SourceKind.CONTAINER ? CollectorMetrics.CONTAINER : CollectorMetrics.HOST;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
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

    /** Lets go of the rotated files that have no complete line left and are gone, or idle for rotateWait. */
    void releaseFinished(FileTailer.Sink sink) throws IOException {
        long now = System.nanoTime();
        for (TrackedFile f : files.rotated()) {
            if (f.copy != null) {
                continue; // the rest of a truncated generation is still read from its copy
            }
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
            if (!idle && now - f.lastLocateNanos >= LOCATE_INTERVAL_NANOS) {
                f.lastLocateNanos = now;
                gone = f.locate() == null;
            }
            if (!idle && !gone) {
                continue;
            }
            if (pending > 0) {
                emitUnterminated(f, (int) pending, sink);
            }
            positions.retire(f);
            files.release(f);
            metrics.filesReleased.inc();
            LOG.info("released {} at offset {} ({})", f, f.offset, gone ? "file deleted" : "idle since rotation");
        }
    }

    private boolean hasNewline(TrackedFile f, long pending) throws IOException {
        int n = fill(f.readChannel(), f.offset, (int) pending);
        return indexOfNewline(buf, 0, n) >= 0;
    }

    /**
     * Emits each file's last line that has no newline yet, NO_NEWLINE, as if the file were let go. Call when
     * {@link #readPass} has read every complete line.
     */
    void emitUnterminatedLines(FileTailer.Sink sink) throws IOException {
        Set<FileIdentity> seen = new HashSet<>();
        for (TrackedFile f : files.all()) {
            if (!seen.add(f.id)) {
                continue;
            }
            long pending;
            try {
                pending = f.readableSize() - f.offset;
            } catch (IOException e) {
                fileProblem(f, "read", "cannot stat open file: " + e);
                continue;
            }
            if (pending > 0 && pending <= maxLineBytes && !hasNewline(f, pending)) {
                emitUnterminated(f, (int) pending, sink);
            }
        }
    }

    private void emitUnterminated(TrackedFile f, int pending, FileTailer.Sink sink) throws IOException {
        int n = fill(f.readChannel(), f.offset, pending);
        emitNoNewline(f, 0, n, sink);
    }

    /** Emits buf[off, off + len), the last line of a file that gets no '\n', NO_NEWLINE. */
    private void emitNoNewline(TrackedFile f, int off, int len, FileTailer.Sink sink) throws IOException {
        sink.line(f, buf, off, len, LineFlags.NO_NEWLINE);
        f.offset += len;
        if (len > 0) {
            f.byteBeforeOffset = buf[off + len - 1];
        }
        metrics.records(source(f)).inc();
        metrics.bytes(source(f)).inc(len);
        sink.afterLine();
    }
}
