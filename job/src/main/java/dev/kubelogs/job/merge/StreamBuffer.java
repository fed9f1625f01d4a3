package dev.kubelogs.job.merge;

/**
 * Keyed state of one (file, stream): a line the runtime split and not yet completed, and a multiline
 * record (stack trace) not yet flushed. A Flink POJO: fields may be added later without breaking
 * savepoints (the POJO serializer evolves), none may be renamed.
 */
public class StreamBuffer {
    /** Category of the file (Category ordinal), fixed for the file's life. */
    public int category;
    /** Logical path of the file on the node. */
    public String path;
    /** File identity (dev:inode:generation). */
    public String fileId;

    /** First piece's record (JSON) of a runtime-partial line, or null when no line is being assembled. */
    public String lineRecord;

    public String lineLog;
    public long lineTime;
    public long lineOffset;
    public int lineBytes;

    /** First line's record (JSON) of a multiline record, or null when none is pending. */
    public String record;

    public String log;
    public long time;
    public long offset;
    public String ruleSet;
    public String state;
    public int bytes;
    public boolean truncated;
    /** The last joined line brought its own newline (Docker json-file), so no separator is added. */
    public boolean lastHadNewline;

    /** Runtime format (ContainerLine.Format name) of what is pending; null in state saved before this field. */
    public String format;

    /** Processing time after which what is pending is flushed. */
    public long deadline;

    /**
     * The collector's read time of the last line of the batch that last touched this buffer; 0 in state saved before
     * this field (such a buffer waits for its deadline).
     */
    public long lastReadMillis;

    public StreamBuffer() {}

    public boolean isEmpty() {
        return lineRecord == null && record == null;
    }
}
