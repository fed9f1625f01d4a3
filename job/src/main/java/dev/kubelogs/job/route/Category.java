package dev.kubelogs.job.route;

/** The three Container Insights log groups, plus where records go that cannot be delivered as logs. */
public enum Category {
    APPLICATION("application"),
    HOST("host"),
    DATAPLANE("dataplane"),
    DEAD_LETTER("dead-letter");

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
}
