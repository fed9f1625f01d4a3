package dev.kubelogs.job.route;

import java.io.Serializable;
import java.util.List;

/**
 * Which container log files belong to which category, by file-name prefix under
 * {@code /var/log/containers/}. The defaults are Container Insights' own (fluent-bit.yaml):
 * application = every container file minus cloudwatch-agent*, fluent-bit*, aws-node*, kube-proxy*,
 * fluentd* — except that cloudwatch-agent* and fluent-bit* come back as application through their own
 * inputs; aws-node* and kube-proxy* are dataplane; fluentd* is dropped everywhere.
 */
public final class RoutingRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What happens to one container log file. */
    public enum ContainerRoute {
        APPLICATION,
        DATAPLANE,
        DROP
    }

    private final List<String> dataplanePrefixes;
    private final List<String> droppedPrefixes;

    public RoutingRules(List<String> dataplanePrefixes, List<String> droppedPrefixes) {
        this.dataplanePrefixes = List.copyOf(dataplanePrefixes);
        this.droppedPrefixes = List.copyOf(droppedPrefixes);
    }

    public static RoutingRules containerInsightsDefaults() {
        return new RoutingRules(List.of("aws-node", "kube-proxy"), List.of("fluentd"));
    }

    public ContainerRoute routeContainerFile(String path) {
        String name = TagNames.baseName(path);
        for (String prefix : droppedPrefixes) {
            if (name.startsWith(prefix)) {
                return ContainerRoute.DROP;
            }
        }
        for (String prefix : dataplanePrefixes) {
            if (name.startsWith(prefix)) {
                return ContainerRoute.DATAPLANE;
            }
        }
        return ContainerRoute.APPLICATION;
    }

    public List<String> dataplanePrefixes() {
        return dataplanePrefixes;
    }

    public List<String> droppedPrefixes() {
        return droppedPrefixes;
    }
}
