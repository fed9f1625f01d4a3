package dev.kubelogs.job.route;

/**
 * The three Container Insights log groups, plus {@code kubelogs-dead-letter} for records that cannot become
 * log events (with the reason).
 */
public enum Category {
    APPLICATION("application"),
    HOST("host"),
    DATAPLANE("dataplane"),
    DEAD_LETTER("kubelogs-dead-letter");

    private final String groupSuffix;

    Category(String groupSuffix) {
        this.groupSuffix = groupSuffix;
    }

    /** {@code /aws/containerinsights/<cluster>/<suffix>} with the default prefix. */
    public String logGroup(String groupPrefix, String cluster) {
        return groupPrefix + "/" + cluster + "/" + groupSuffix;
    }

    public String groupSuffix() {
        return groupSuffix;
    }

    /** Lower-case name for uids and metrics: application, host, dataplane, dead-letter. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
