package dev.kubelogs.collector.tail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the collector has durably spooled: one entry per tracked file (keyed by device + inode), the journal
 * cursor, and the pods already announced. Serialized as JSON by {@link StateStore}.
 */
public final class CollectorState {
    public int version = 1;
    public String cluster;
    public String node;
    /** Seq of the newest segment this state covers; -1 before the first. */
    public long committedSeq = -1;

    public List<FileState> files = new ArrayList<>();
    public JournalState journal;
    /** Pods announced to the spool: key namespace/name → content hash of the last upsert. */
    public Map<String, String> pods = new LinkedHashMap<>();
    /** Files let go recently, so that a reused inode gets a new generation (never the same identity twice). */
    public List<Retired> retired = new ArrayList<>();

    /** One tracked file. */
    public static final class FileState {
        public String path;
        public String realPath;
        public long device;
        public long inode;
        public int generation;
        public String kind;
        public long offset;
        /** Length and CRC32 of the file's first bytes (up to 1 KiB), to notice an inode reused for other content. */
        public int headLen;

        public long headCrc;
        /**
         * Wall-clock time this generation began to be read; 0 in states written before it was kept. A copy
         * copytruncate left of the generation is no older (less the clock slack), so a restart looks at those only.
         */
        public long generationSeenMillis;
    }

    /** A released file identity and the generation it had. */
    public static final class Retired {
        public long device;
        public long inode;
        public int generation;
        public long releasedAtMillis;
        /** Where reading stopped, and the head fingerprint: if the same file shows up again it resumes there. */
        public long offset;

        public int headLen;
        public long headCrc;
    }

    /** The journal reader's position. */
    public static final class JournalState {
        public String cursor;
        /** LINE records written so far for the journal pseudo-file (its offset). */
        public long offset;

        public long inode;
    }
}
