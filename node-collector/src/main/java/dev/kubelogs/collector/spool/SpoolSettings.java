package dev.kubelogs.collector.spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where segments and state go, and when segments roll.
 *
 * @param spoolDir the spool root; segments go to {@code <root>/<cluster>/<node>/}
 * @param stateDir offsets and cursors
 * @param maxSegmentBytes roll a segment at this size
 * @param maxSegmentAge roll a segment at this age
 * @param maxSpoolBytes local spool size that pauses tailing
 * @param retention safety-net age after which local segments are deleted
 */
public record SpoolSettings(
        Path spoolDir,
        Path stateDir,
        long maxSegmentBytes,
        Duration maxSegmentAge,
        long maxSpoolBytes,
        Duration retention) {

    public SpoolSettings {
        Objects.requireNonNull(spoolDir, "spoolDir");
        Objects.requireNonNull(stateDir, "stateDir");
        positive("maxSegmentBytes", maxSegmentBytes);
        positive("maxSegmentAge", maxSegmentAge);
        positive("maxSpoolBytes", maxSpoolBytes);
        positive("spoolRetention", retention);
    }

    private static void positive(String what, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be > 0: " + v);
        }
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration: " + d);
        }
    }
}
