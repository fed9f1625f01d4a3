package dev.kubelogs.job.route;

import dev.kubelogs.job.parse.JournalEntry;
import dev.kubelogs.spool.JournalSources;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Container Insights' journald inputs as routing rules. Each Fluent Bit systemd input reads the whole
 * journal with its own filter, so one entry can land in several streams (a kernel message of priority 6
 * is both host.dmesg and host.messages): every matching target is returned.
 */
public final class JournalRouting implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where one journal entry goes. {@code name} is the unit (dataplane) or dmesg/messages/secure (host). */
    public record Target(Category category, String name) {}

    /** host.messages' Systemd_Filter PRIORITY=0 ... PRIORITY=6: journal matches compare the value's bytes. */
    private static final Set<String> MESSAGES_PRIORITIES = Set.of("0", "1", "2", "3", "4", "5", "6");

    private static final Pattern EXCLUDED_FACILITY =
            Pattern.compile("^(2|9|10)$", Pattern.MULTILINE | Pattern.UNIX_LINES);

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
        // a Systemd_Filter is a journal match: any value of the field; the tag takes the first (sd_journal_get_data)
        if (e.values("_SYSTEMD_UNIT").stream().anyMatch(dataplaneUnits::contains)) {
            targets.add(new Target(Category.DATAPLANE, e.first("_SYSTEMD_UNIT")));
        }
        if (dataplaneOnly) {
            return targets;
        }
        if (e.values("_TRANSPORT").contains("kernel")) {
            targets.add(new Target(Category.HOST, "dmesg"));
        }
        if (e.values("PRIORITY").stream().anyMatch(MESSAGES_PRIORITIES::contains) && !mailNewsOrCron(e)) {
            targets.add(new Target(Category.HOST, "messages"));
        }
        if (e.values("SYSLOG_FACILITY").contains("10")) {
            targets.add(new Target(Category.HOST, "secure"));
        }
        return targets;
    }

    /**
     * host.messages' grep filter, {@code Exclude SYSLOG_FACILITY /^(2|9|10)$/}, on the record's value: a regex
     * matches a string only (plugins/filter_grep), with Onigmo's line anchors; a repeated facility is an array.
     */
    private static boolean mailNewsOrCron(JournalEntry e) {
        return e.recordValue("SYSLOG_FACILITY") instanceof String facility
                && EXCLUDED_FACILITY.matcher(facility).find();
    }
}
