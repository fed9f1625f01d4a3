package dev.kubelogs.job.route;

import dev.kubelogs.job.parse.JournalEntry;
import dev.kubelogs.spool.JournalSources;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Container Insights' journald inputs as routing rules. Each Fluent Bit systemd input reads the whole
 * journal with its own filter, so one entry can land in several streams (a kernel message of priority 6
 * is both host.dmesg and host.messages): every matching target is returned.
 */
public final class JournalRouting implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where one journal entry goes. {@code name} is the unit (dataplane) or dmesg/messages/secure (host). */
    public record Target(Category category, String name) {}

    private final Set<String> dataplaneUnits;

    public JournalRouting(Set<String> dataplaneUnits) {
        this.dataplaneUnits = Set.copyOf(dataplaneUnits);
    }

    public static JournalRouting containerInsightsDefaults() {
        return new JournalRouting(JournalSources.DATAPLANE_UNITS);
    }

    /** Every stream the entry belongs to, host streams included (the collector reads host logs from the journal). */
    public List<Target> route(JournalEntry e) {
        return route(e, false);
    }

    /**
     * Every stream the entry belongs to; with {@code dataplaneOnly} (the node's host logs come from files) only the
     * dataplane unit streams, as the incumbent's legacy configuration reads nothing else from the journal.
     */
    public List<Target> route(JournalEntry e, boolean dataplaneOnly) {
        List<Target> targets = new ArrayList<>(2);
        if (e.unit() != null && dataplaneUnits.contains(e.unit())) {
            targets.add(new Target(Category.DATAPLANE, e.unit()));
        }
        if (dataplaneOnly) {
            return targets;
        }
        if ("kernel".equals(e.transport())) {
            targets.add(new Target(Category.HOST, "dmesg"));
        }
        // PRIORITY=0..6, then grep Exclude SYSLOG_FACILITY ^(2|9|10)$
        Integer facility = e.facility();
        if (e.priority() != null
                && e.priority() >= 0
                && e.priority() <= 6
                && !(facility != null && (facility == 2 || facility == 9 || facility == 10))) {
            targets.add(new Target(Category.HOST, "messages"));
        }
        if (facility != null && facility == 10) {
            targets.add(new Target(Category.HOST, "secure"));
        }
        return targets;
    }
}
