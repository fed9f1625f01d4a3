package dev.kubelogs.spool;

import java.io.IOException;

/** A segment's bytes do not form a valid, complete version-1 segment. The message says what and where. */
public final class CorruptSegmentException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptSegmentException(String message) {
        super(message);
    }

    public CorruptSegmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
