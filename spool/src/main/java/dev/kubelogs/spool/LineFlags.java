package dev.kubelogs.spool;

/** Bits of a LINE record's flags byte. */
public final class LineFlags {
    /** The physical line was longer than the collector's maximum and was split; the next LINE of the same file continues it. No newline consumed. */
    public static final int PARTIAL = 1;
    /** The last bytes of a file that was let go without a trailing newline. No newline consumed. */
    public static final int NO_NEWLINE = 2;

    /** Every bit that a version-1 segment may set. */
    public static final int KNOWN = PARTIAL | NO_NEWLINE;

    private LineFlags() {}

    /** True if only known bits are set and PARTIAL and NO_NEWLINE are not both set. */
    public static boolean isValid(int flags) {
        return (flags & ~KNOWN) == 0 && flags != (PARTIAL | NO_NEWLINE);
    }

    /** True if the line consumed a newline on disk (neither PARTIAL nor NO_NEWLINE). */
    public static boolean consumedNewline(int flags) {
        return (flags & (PARTIAL | NO_NEWLINE)) == 0;
    }

    /**
     * How far a LINE advances the running offset of its file: for JOURNAL one record, otherwise its length
     * plus one for the newline unless PARTIAL or NO_NEWLINE is set.
     */
    public static long advance(SourceKind kind, int length, int flags) {
        if (kind == SourceKind.JOURNAL) {
            return 1;
        }
        return consumedNewline(flags) ? (long) length + 1 : length;
    }
}
