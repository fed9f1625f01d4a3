package dev.kubelogs.spool;

/**
 * One raw line as read from a file (without its '\n'). {@code offset} is the file's running offset before the
 * line: a byte offset for CONTAINER/HOST_FILE, a record counter for JOURNAL.
 */
public record LineEntry(FileRef file, long offset, byte[] bytes, int flags, long readTimeMillis)
        implements SegmentEntry {

    public boolean partial() {
        return (flags & LineFlags.PARTIAL) != 0;
    }

    public boolean noNewline() {
        return (flags & LineFlags.NO_NEWLINE) != 0;
    }
}
