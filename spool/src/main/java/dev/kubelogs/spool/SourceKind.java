package dev.kubelogs.spool;

/** What kind of node source a {@link FileRef} names; the code is the byte stored in a FILE record. */
public enum SourceKind {
    /** A container log under {@code /var/log/containers} (Docker json-file or CRI); offsets are byte offsets. */
    CONTAINER(1),
    /** A plain host file such as {@code /var/log/messages}; offsets are byte offsets. */
    HOST_FILE(2),
    /** A journald stream; offsets count LINE records, not bytes. */
    JOURNAL(3);

    private final int code;

    SourceKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for an unknown code */
    public static SourceKind ofCode(int code) {
        switch (code) {
            case 1:
                return CONTAINER;
            case 2:
                return HOST_FILE;
            case 3:
                return JOURNAL;
            default:
                throw new IllegalArgumentException("unknown source kind code " + code);
        }
    }
}
