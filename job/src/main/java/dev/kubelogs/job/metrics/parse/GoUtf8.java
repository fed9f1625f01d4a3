package dev.kubelogs.job.metrics.parse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 validity as Go's {@code utf8.Valid} judges it (no overlong forms, no surrogates, nothing above U+10FFFF),
 * which is what the JDK's strict decoder reports as malformed; ASCII, the common case, is checked without it.
 */
final class GoUtf8 {
    private GoUtf8() {}

    static boolean isAscii(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isValid(byte[] b, int from, int to) {
        if (isAscii(b, from, to)) {
            return true;
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
