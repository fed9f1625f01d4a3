package dev.kubelogs.job.multiline;

import dev.kubelogs.job.merge.RawPiece;
import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.ContainerLineParser;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.parse.Utf8Text;
import java.util.Arrays;

/**
 * Lines the collector split at its maximum line size (LineFlags.PARTIAL pieces), put back together per file.
 * A line that stays within the record limit is parsed whole once its last piece is in. A longer one leaves in
 * records of the limit as its bytes arrive, cut between characters: the first is parsed (a CRI prefix gives the
 * line's time, stream and {@code _p}), and every later record repeats those fields with the next share of the
 * text, so nothing is lost and each record keeps the line's own time. Records cut at the limit are marked
 * {@code multiline_truncated} like any record flushed at the limit. No Flink here: the caller keeps the piece in
 * state.
 */
public final class SplitLines {
    private SplitLines() {}

    /** Receives a record of a long line; {@code unparsed} when its head was neither Docker JSON nor CRI. */
    public interface Output {
        void emit(LineRecord record, long time, long offset, boolean truncated, boolean unparsed) throws Exception;
    }

    /** Adds a PARTIAL piece and sends on every full record the line now holds; returns what to keep. */
    static RawPiece add(
            RawPiece piece,
            String path,
            byte[] data,
            int from,
            int length,
            long offset,
            long readTime,
            int maxRecordBytes,
            Output out)
            throws Exception {
        if (piece == null) {
            piece = new RawPiece();
            piece.path = path;
            piece.bytes = Arrays.copyOfRange(data, from, from + length);
            piece.offset = offset;
            piece.readTime = readTime;
        } else {
            piece.bytes = concat(piece.bytes, 0, piece.bytes.length, data, from, length);
        }
        sendFullRecords(piece, maxRecordBytes, out);
        return piece;
    }

    private static void sendFullRecords(RawPiece piece, int maxRecordBytes, Output out) throws Exception {
        while (piece.bytes.length >= maxRecordBytes) {
            int cut = Utf8Text.boundaryAtOrBefore(piece.bytes, 0, maxRecordBytes);
            if (cut == 0) {
                cut = maxRecordBytes; // a limit smaller than one character
            }
            emit(piece, Arrays.copyOfRange(piece.bytes, 0, cut), true, out);
            piece.offset += cut;
            piece.bytes = Arrays.copyOfRange(piece.bytes, cut, piece.bytes.length);
        }
    }

    /**
     * The last piece arrived. For a line within the limit: the whole line, to be parsed and joined like any other.
     * For a longer one: its records are sent, the last unmarked, and null is returned.
     */
    static byte[] complete(RawPiece piece, byte[] data, int from, int length, int maxRecordBytes, Output out)
            throws Exception {
        piece.bytes = concat(piece.bytes, 0, piece.bytes.length, data, from, length);
        sendFullRecords(piece, maxRecordBytes, out);
        if (piece.record == null) {
            return piece.bytes;
        }
        if (piece.bytes.length > 0) {
            emit(piece, piece.bytes, false, out);
        }
        return null;
    }

    /** The last piece never came (end of input): what is here leaves as the line's last record, marked. */
    static void abandon(RawPiece piece, Output out) throws Exception {
        if (piece.record == null || piece.bytes.length > 0) {
            emit(piece, piece.bytes, true, out);
        }
    }

    private static void emit(RawPiece piece, byte[] bytes, boolean truncated, Output out) throws Exception {
        if (piece.record == null) {
            ContainerLine head = ContainerLineParser.parse(bytes);
            LineRecord record = head.record();
            piece.time = head.timeMillis() >= 0 ? head.timeMillis() : piece.readTime;
            piece.record = record.without("log").toJson();
            out.emit(record, piece.time, piece.offset, truncated, head.format() == ContainerLine.Format.RAW);
            return;
        }
        // log was left out of the state, so it goes last, after the line's other fields
        LineRecord record = LineRecord.parse(piece.record).with("log", Utf8Text.decode(bytes));
        out.emit(record, piece.time, piece.offset, truncated, false);
    }

    private static byte[] concat(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
        byte[] out = new byte[aLength + bLength];
        System.arraycopy(a, aFrom, out, 0, aLength);
        System.arraycopy(b, bFrom, out, aLength, bLength);
        return out;
    }
}
