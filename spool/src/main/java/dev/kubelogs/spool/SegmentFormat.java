package dev.kubelogs.spool;

/** Constants of the version-1 segment format (see the module README / SegmentWriter javadoc). */
final class SegmentFormat {
    static final byte[] MAGIC = {'K', 'L', 'S', 'G'};
    static final int VERSION = 1;

    static final int TAG_FILE = 0x01;
    static final int TAG_TIME = 0x02;
    static final int TAG_LINE = 0x03;
    static final int TAG_POD = 0x04;
    static final int TAG_END = 0x7F;

    private SegmentFormat() {}

    /** The identity part of a FileRef, which must be unique within one segment. */
    record Identity(long device, long inode, int generation) {
        static Identity of(FileRef f) {
            return new Identity(f.device(), f.inode(), f.generation());
        }
    }
}
