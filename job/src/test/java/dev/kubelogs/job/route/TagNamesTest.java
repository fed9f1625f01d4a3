package dev.kubelogs.job.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The worked examples of the Container Insights reference §1.7. */
class TagNamesTest {
    private static final String H = "ip-192-168-12-34.us-west-2.compute.internal";
    private static final String ID = "3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b3f1e9a0b";

    @Test
    void applicationStreamIsNodeDashTailTag() {
        String path = "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + ID + ".log";
        assertThat(TagNames.applicationStream(H, path))
                .isEqualTo(H + "-application.var.log.containers.orders-7d9c6b7f9d-x2m4q_shop_orders-" + ID + ".log");
    }

    @Test
    void dataplaneStreams() {
        assertThat(TagNames.dataplaneSystemdStream(H, "kubelet.service"))
                .isEqualTo(H + "-dataplane.systemd.kubelet.service");
        assertThat(TagNames.dataplaneSystemdStream(H, null)).isEqualTo(H + "-dataplane.systemd.unknown");
        assertThat(TagNames.dataplaneTailStream(
                        H, "/var/log/containers/aws-node-7xk2p_kube-system_aws-node-" + ID + ".log"))
                .isEqualTo(H + "-dataplane.tail.var.log.containers.aws-node-7xk2p_kube-system_aws-node-" + ID + ".log");
    }

    @Test
    void hostStreamsUseADot() {
        assertThat(TagNames.hostStream(H, "messages")).isEqualTo(H + ".host.messages");
        assertThat(TagNames.hostStream(H, "dmesg")).isEqualTo(H + ".host.dmesg");
    }

    @Test
    void tagComposeTurnsSeparatorsIntoSingleDots() {
        assertThat(TagNames.tailTag("application.", "/var/log/containers/x.log"))
                .isEqualTo("application.var.log.containers.x.log");
        assertThat(TagNames.tailTag("a.", "/x//y:z\\w")).isEqualTo("a.x.y.z.w");
    }

    @Test
    void containerInsightsRouting() {
        RoutingRules rules = RoutingRules.containerInsightsDefaults();
        assertThat(rules.routeContainerFile("/var/log/containers/aws-node-1_kube-system_aws-node-" + ID + ".log"))
                .isEqualTo(RoutingRules.ContainerRoute.DATAPLANE);
        assertThat(rules.routeContainerFile("/var/log/containers/kube-proxy-9_kube-system_kube-proxy-" + ID + ".log"))
                .isEqualTo(RoutingRules.ContainerRoute.DATAPLANE);
        assertThat(rules.routeContainerFile("/var/log/containers/fluentd-abc_logging_fluentd-" + ID + ".log"))
                .isEqualTo(RoutingRules.ContainerRoute.DROP);
        assertThat(rules.routeContainerFile(
                        "/var/log/containers/fluent-bit-abc_amazon-cloudwatch_fluent-bit-" + ID + ".log"))
                .isEqualTo(RoutingRules.ContainerRoute.APPLICATION);
        assertThat(rules.routeContainerFile(
                        "/var/log/containers/cloudwatch-agent-x_amazon-cloudwatch_cwa-" + ID + ".log"))
                .isEqualTo(RoutingRules.ContainerRoute.APPLICATION);
        assertThat(rules.routeContainerFile(
                        "/var/log/containers/coredns-5d78c9869d-abcde_kube-system_coredns-" + ID + ".log"))
                .isEqualTo(RoutingRules.ContainerRoute.APPLICATION);
    }
}
