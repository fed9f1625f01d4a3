package dev.kubelogs.collector.journal;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.nio.file.Files;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the node has its journal directory. A missing one is logged and counted once per disappearance
 * ({@code kubelogs_collector_errors{kind="journal_missing"}}), and its return is logged.
 */
final class JournalPresence {
    private static final Logger LOG = LoggerFactory.getLogger(JournalPresence.class);

    private final JournalSettings settings;
    private final CollectorMetrics metrics;
    private final long recheckMillis;
    /** True once the missing journal directory was reported, until it is there again. */
    private boolean reportedMissing;

    JournalPresence(JournalSettings settings, CollectorMetrics metrics, long recheckMillis) {
        this.settings = settings;
        this.metrics = metrics;
        this.recheckMillis = recheckMillis;
    }

    /** Whether the directory is there, without reporting anything. */
    boolean present() {
        return Files.isDirectory(settings.dir());
    }

    /** False (after reporting it once) when the node has no journal directory; true when it has one. */
    boolean check() {
        boolean present = present();
        if (!present && !reportedMissing) {
            reportedMissing = true;
            metrics.error("journal_missing");
            LOG.warn(
                    "this node has no journal at {}: the dataplane units {}{} are not collected; looking again "
                            + "every {} s",
                    settings.dir(),
                    new TreeSet<>(JournalFilter.DATAPLANE_UNITS),
                    settings.hostLogs() ? " and the host logs" : "",
                    recheckMillis / 1000);
        } else if (present && reportedMissing) {
            reportedMissing = false;
            LOG.info("the journal at {} is there now: reading it from its head", settings.dir());
        }
        return present;
    }
}
