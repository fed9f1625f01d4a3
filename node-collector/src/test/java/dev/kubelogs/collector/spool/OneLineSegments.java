package dev.kubelogs.collector.spool;

import dev.kubelogs.spool.FileRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The shippers' tests' segments: one line of one file each, published as the tail loop does. */
final class OneLineSegments {
    private OneLineSegments() {}

    static void publish(SegmentSpool spool, FileRef file, String line) throws IOException {
        var w = spool.writer(1L);
        int id = w.declareFile(file, 0);
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        w.line(id, b, 0, b.length, 0);
        spool.sync();
        spool.publish();
    }
}
