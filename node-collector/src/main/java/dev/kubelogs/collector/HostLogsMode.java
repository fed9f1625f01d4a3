package dev.kubelogs.collector;

import java.util.Locale;

/**
 * Where host logs (dmesg, messages, secure) come from: the files under the log root, journald, or nowhere. The
 * dataplane units (docker, containerd, kubelet) come from the journal in every mode, as with Container Insights.
 */
public enum HostLogsMode {
    /** Tail {@code <logRoot>/messages}, {@code dmesg}, {@code secure} (the legacy Container Insights definition). */
    FILES,
    /** Read the host inputs from the systemd journal (current Container Insights), with the dataplane units. */
    JOURNALD,
    /** Collect no host logs. */
    NONE;

    public static HostLogsMode parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "files":
            case "file":
                return FILES;
            case "journald":
            case "journal":
            case "systemd":
                return JOURNALD;
            case "none":
            case "off":
                return NONE;
            default:
                throw new IllegalArgumentException("HOST_LOGS must be files, journald or none, not '" + s + "'");
        }
    }
}
