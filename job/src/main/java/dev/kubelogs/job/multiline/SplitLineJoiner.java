package dev.kubelogs.job.multiline;

import dev.kubelogs.job.merge.RawPiece;
import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.merge.StateKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split-line joining: the pieces of a line the collector split at its maximum line size (LineFlags.PARTIAL), kept
 * per file identity in keyed state until the last piece comes (see {@link SplitLines} for how a line past the
 * record limit leaves in records as it arrives). At the end of input a line whose last piece never came leaves as
 * it is.
 */
public final class SplitLineJoiner {
    private static final Logger LOG = LoggerFactory.getLogger(SplitLineJoiner.class);

    /** Where the records of a split line go, per file. */
    public interface Outputs {
        SplitLines.Output of(String fileId, String path);
    }

    private final int maxRecordBytes;
    private MapState<String, RawPiece> rawPieces;
    /** Per key: the file identities with a piece in state, so a line of a file without one reads no state. */
    private StateKeys piecesInState;

    public SplitLineJoiner(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    public void open(RuntimeContext state) {
        rawPieces = state.getMapState(
                new MapStateDescriptor<>("raw-pieces", Types.STRING, TypeInformation.of(RawPiece.class)));
        piecesInState = new StateKeys(rawPieces);
    }

    /** Whether a split line of the file waits for its next piece. */
    public boolean pending(StageContext ctx, String fileId) throws Exception {
        return filesWithPieces(ctx).contains(fileId);
    }

    /** A PARTIAL piece of file {@code fileId}: kept, and every full record the line now holds sent on. */
    public void add(
            StageContext ctx,
            String fileId,
            String path,
            byte[] data,
            int from,
            int length,
            long offset,
            long readTime,
            SplitLines.Output out)
            throws Exception {
        Set<String> files = filesWithPieces(ctx);
        RawPiece piece = files.contains(fileId) ? rawPieces.get(fileId) : null;
        piece = SplitLines.add(piece, path, data, from, length, offset, readTime, maxRecordBytes, out);
        rawPieces.put(fileId, piece);
        files.add(fileId);
        ctx.scheduleEndOfInput();
    }

    /**
     * The last piece of a {@link #pending} line. Within the record limit: the piece with the whole line in
     * {@code bytes} (and the first piece's offset and read time), to be parsed like any other line. Past it: the
     * last records are sent and null is returned.
     */
    public RawPiece complete(StageContext ctx, String fileId, byte[] data, int from, int length, SplitLines.Output out)
            throws Exception {
        RawPiece piece = rawPieces.get(fileId);
        rawPieces.remove(fileId);
        filesWithPieces(ctx).remove(fileId);
        // the whole line is the piece's bytes now
        return SplitLines.complete(piece, data, from, length, maxRecordBytes, out) == null ? null : piece;
    }

    /** End of input: every split line whose last piece never came leaves as it is, marked. */
    public void abandonAll(StageContext ctx, Outputs outputs) throws Exception {
        List<String> files = new ArrayList<>();
        for (String fileId : rawPieces.keys()) {
            files.add(fileId);
        }
        for (String fileId : files) {
            RawPiece piece = rawPieces.get(fileId);
            rawPieces.remove(fileId);
            filesWithPieces(ctx).remove(fileId);
            LOG.warn(
                    "Node {}: a split line of file {} never got its last piece; shipping its last {} bytes as is",
                    ctx.key(),
                    fileId,
                    piece.bytes.length);
            SplitLines.abandon(piece, outputs.of(fileId, piece.path));
        }
    }

    private Set<String> filesWithPieces(StageContext ctx) throws Exception {
        return piecesInState.of(ctx.key());
    }
}
