package dev.kubelogs.spool;

import java.util.Set;

/**
 * The journal as a spool source: which Container Insights categories the collector took from it, told to the job by
 * the logical path of its FILE record. Host logs come either from the journal or from files, never both, so a journal
 * read only for the dataplane units must not feed the host streams as well (that would send every kubelet line of
 * {@code /var/log/messages} twice).
 */
public final class JournalSources {
    /** Host (dmesg, messages, secure) and dataplane units: the collector runs with HOST_LOGS=journald. */
    public static final String HOST_AND_DATAPLANE = "journal";
    /** The dataplane units only: host logs come from files (HOST_LOGS=files) or are not collected (none). */
    public static final String DATAPLANE_ONLY = "journal:dataplane";
    /** Container Insights' dataplane {@code Systemd_Filter _SYSTEMD_UNIT=...} values (reference §1.3). */
    public static final Set<String> DATAPLANE_UNITS = Set.of("docker.service", "containerd.service", "kubelet.service");

    private JournalSources() {}

    /** True if a journal FILE record with this path carries the dataplane units only. */
    public static boolean dataplaneOnly(String path) {
        return DATAPLANE_ONLY.equals(path);
    }
}
