package dev.kubelogs.job.source;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.fs.FileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enumerator's access to the spool: what each node's directory holds, for discovery, and the discovery schedule it
 * tells the collectors. Called from one thread at a time.
 */
interface SpoolListing extends AutoCloseable {

    /** By {@code <cluster>/<node>}: the node's segments and its seal marker. */
    Map<String, Node> list() throws IOException;

    /**
     * Replaces the spool root's {@value DiscoverySchedulePublisher#OBJECT_NAME} with {@code json}, whole: a collector
     * reads either the old object or the new one.
     */
    void writeSchedule(byte[] json) throws IOException;

    @Override
    default void close() {}

    /** A node's segments by seq, and the last seq its seal marker names (null: not sealed). */
    final class Node {
        private static final Logger LOG = LoggerFactory.getLogger(Node.class);

        final TreeMap<Long, FileStatus> segments = new TreeMap<>();
        Long sealedSeq;

        /** Reads a seal marker's content (the last seq); an unreadable one is logged and leaves the node unsealed. */
        void sealed(String content, Object marker) {
            String text = content.trim();
            try {
                sealedSeq = text.isEmpty() ? -1L : Long.parseLong(text);
            } catch (NumberFormatException e) {
                LOG.warn("Ignoring unreadable seal marker {}", marker);
            }
        }
    }
}
