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

    /** The category whose log group {@code logGroup} is (by its last path segment), or null. */
    public static Category ofLogGroup(String logGroup) {
        String suffix = logGroup.substring(logGroup.lastIndexOf('/') + 1);
        for (Category c : values()) {
            if (c.groupSuffix.equals(suffix)) {
                return c;
            }
        }
        return null;
    }

    /** Lower-case name for uids and metrics: application, host, dataplane, dead-letter. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
