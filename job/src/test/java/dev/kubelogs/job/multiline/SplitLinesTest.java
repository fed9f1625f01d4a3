package dev.kubelogs.job.multiline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.merge.RawPiece;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitLinesTest {
    private static final String CRI = "2024-05-01T10:00:00.250000000Z stderr P ";
    private static final long CRI_MILLIS = 1714557600250L;
    private static final long READ_TIME = 42L;

    private final List<String> out = new ArrayList<>();
    private final List<String> logs = new ArrayList<>();
    private final SplitLines.Output output = (record, time, offset, truncated, unparsed) -> {
        logs.add(record.text("log"));
        out.add(record.toJson() + " t=" + time + " @" + offset + (truncated ? " cut" : "") + (unparsed ? " raw" : ""));
    };

    @Test
    void lineWithinTheLimitIsReturnedWholeWhenItsLastPieceArrives() throws Exception {
        RawPiece piece = add(null, CRI + "hel", 100L, 1000);
        assertThat(out).isEmpty();
        byte[] line = SplitLines.complete(piece, bytes("lo\n"), 0, 3, 1000, output);
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(CRI + "hello\n");
        assertThat(out).isEmpty();
    }

    @Test
    void longLineLeavesInRecordsOfTheLimitThatRepeatTheHeadFields() throws Exception {
        int limit = CRI.length() + 4;
        RawPiece piece = add(null, CRI + "abcdefgh", 100L, limit);
        assertThat(out).hasSize(1);
        assertThat(out.get(0))
                .contains("\"log\":\"abcd\"")
                .contains("t=" + CRI_MILLIS)
                .endsWith("@100 cut");
        assertThat(SplitLines.complete(piece, bytes("ij"), 0, 2, limit, output)).isNull();
        assertThat(out).hasSize(2);
        // the rest of the line keeps the line's time and stream; the last record is not cut
        assertThat(out.get(1))
                .contains("\"stream\":\"stderr\"")
                .contains("\"log\":\"efghij\"")
                .contains("t=" + CRI_MILLIS)
                .endsWith("@" + (100 + limit));
        assertThat(out.get(1).indexOf("\"log\"")).isGreaterThan(out.get(1).indexOf("\"stream\""));
    }

    @Test
    void recordsAreCutBetweenCharacters() throws Exception {
        // a limit that falls inside the two bytes of é moves the cut before it
        int limit = CRI.length() + 2;
        RawPiece piece = add(null, CRI + "aéb", 0L, limit);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).contains("\"log\":\"a\"");
        SplitLines.complete(piece, new byte[0], 0, 0, limit, output);
        assertThat(out).hasSize(2);
        assertThat(logs.get(1)).isEqualTo("éb");
        assertThat(out.get(1)).endsWith("@" + (CRI.length() + 1));
    }

    @Test
    void limitSmallerThanOneCharacterStillMakesProgress() throws Exception {
        RawPiece piece = add(null, "€€", 0L, 2);
        SplitLines.complete(piece, new byte[0], 0, 0, 2, output);
        // every byte leaves once, none is held back for ever
        assertThat(out)
                .extracting(r -> r.substring(r.lastIndexOf('@')))
                .containsExactly("@0 cut raw", "@2 cut", "@3 cut", "@5");
    }

    @Test
    void headThatIsNeitherDockerNorCriIsUnparsedWithTheReadTime() throws Exception {
        RawPiece piece = add(null, "plain text that is long", 7L, 10);
        assertThat(out.get(0)).contains("\"log\":\"plain text\"").endsWith("t=" + READ_TIME + " @7 cut raw");
        SplitLines.abandon(piece, output);
        // the later records are no head: they carry the head's fields, unparsed only once
        assertThat(out.get(out.size() - 1)).endsWith("t=" + READ_TIME + " @27 cut");
    }

    @Test
    void abandonSendsWhatIsLeftMarkedAndNothingWhenNothingIsLeft() throws Exception {
        RawPiece shortPiece = add(null, CRI + "half", 0L, 1000);
        SplitLines.abandon(shortPiece, output);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).contains("\"log\":\"half\"").endsWith("@0 cut");

        out.clear();
        int limit = CRI.length() + 4;
        RawPiece exact = add(null, CRI + "abcd", 0L, limit);
        assertThat(out).hasSize(1);
        SplitLines.abandon(exact, output);
        assertThat(out).hasSize(1);
    }

    @Test
    void piecesAreCopiedFromTheCallersBuffer() throws Exception {
        byte[] buffer = bytes("xx" + CRI + "abc" + "yy");
        RawPiece piece = SplitLines.add(null, "/f", buffer, 2, CRI.length() + 3, 5L, READ_TIME, 1000, output);
        buffer[2 + CRI.length()] = 'Z';
        byte[] line = SplitLines.complete(piece, buffer, buffer.length - 2, 2, 1000, output);
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(CRI + "abcyy");
        assertThat(piece.path).isEqualTo("/f");
        assertThat(piece.offset).isEqualTo(5L);
    }

    private RawPiece add(RawPiece piece, String text, long offset, int limit) throws Exception {
        byte[] b = bytes(text);
        return SplitLines.add(piece, "/var/log/containers/x.log", b, 0, b.length, offset, READ_TIME, limit, output);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
