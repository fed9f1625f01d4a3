package dev.kubelogs.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a collector's log (all its processes' lines, appended) says about back-pressure at its spool limit. */
final class CollectorLog {
    private static final String PAUSED = "tailing paused";
    private static final String RESUMED = "tailing resumed";

    private CollectorLog() {}

    /** How many times tailing paused at the spool limit; 0 for a log not written yet. */
    static long pauses(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(PAUSED)).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** Whether tailing is paused now: the last pause or resume the log names is a pause. */
    static boolean pausedNow(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(PAUSED) || l.contains(RESUMED))
                    .reduce((first, second) -> second)
                    .map(l -> l.contains(PAUSED))
                    .orElse(false);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
