package dev.kubelogs.spool;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Names in the spool: {@code <root>/<cluster>/<node>/<seq>.seg} with seq zero-padded to 20 digits, so that
 * lexicographic order is numeric order. The same layout is used for S3 keys under a prefix.
 */
public final class SpoolPaths {
    public static final String SEALED = "sealed";
    public static final String SEGMENT_SUFFIX = ".seg";
    public static final String TEMP_SUFFIX = ".tmp";
    private static final int DIGITS = 20;

    private SpoolPaths() {}

    /** {@code 00000000000000000042.seg} */
    public static String segmentFileName(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0: " + seq);
        }
        String digits = Long.toString(seq);
        StringBuilder sb = new StringBuilder(DIGITS + SEGMENT_SUFFIX.length());
        for (int i = digits.length(); i < DIGITS; i++) {
            sb.append('0');
        }
        return sb.append(digits).append(SEGMENT_SUFFIX).toString();
    }

    /** {@code .00000000000000000042.seg.tmp}: hidden, never matched by {@code *.seg}. */
    public static String tempFileName(long seq) {
        return "." + segmentFileName(seq) + TEMP_SUFFIX;
    }

    /** The seq of a final segment name (exactly 20 digits + {@code .seg}); empty for anything else, temp files included. */
    public static OptionalLong parseSegmentSeq(String fileName) {
        if (fileName == null
                || fileName.length() != DIGITS + SEGMENT_SUFFIX.length()
                || !fileName.endsWith(SEGMENT_SUFFIX)) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int i = 0; i < DIGITS; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
            int d = c - '0';
            if (value > (Long.MAX_VALUE - d) / 10) {
                return OptionalLong.empty();
            }
            value = value * 10 + d;
        }
        return OptionalLong.of(value);
    }

    /** {@code <root>/<cluster>/<node>}; rejects names that would escape the directory. */
    public static Path nodeDirectory(Path spoolRoot, String cluster, String node) {
        return spoolRoot.resolve(checkName("cluster", cluster)).resolve(checkName("node", node));
    }

    /** The relative key {@code <cluster>/<node>/<seq>.seg}, for object stores. */
    public static String segmentKey(String cluster, String node, long seq) {
        return checkName("cluster", cluster) + "/" + checkName("node", node) + "/" + segmentFileName(seq);
    }

    private static String checkName(String what, String name) {
        if (name == null
                || name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid " + what + " name for a spool path: '" + name + "'");
        }
        return name;
    }
}
