package dev.kubelogs.job.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.route.RoutingRules.ContainerRoute;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class RoutingRulesTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    private static final RoutingRules CONTAINER_INSIGHTS = RoutingRules.containerInsightsDefaults();

    private static String file(String pod, String namespace, String container) {
        return "/var/log/containers/" + pod + "_" + namespace + "_" + container + "-" + ID + ".log";
    }

    private static ContainerRoute route(String path) {
        return CONTAINER_INSIGHTS.routeContainerFile(path);
    }

    @Test
    void awsNodeAndKubeProxyAreDataplane() {
        assertThat(route(file("aws-node-7xk2p", "kube-system", "aws-node"))).isEqualTo(ContainerRoute.DATAPLANE);
        assertThat(route(file("aws-node-7xk2p", "kube-system", "aws-vpc-cni-init")))
                .isEqualTo(ContainerRoute.DATAPLANE);
        assertThat(route(file("kube-proxy-9q2ld", "kube-system", "kube-proxy"))).isEqualTo(ContainerRoute.DATAPLANE);
    }

    @Test
    void fluentdIsDroppedEverywhere() {
        assertThat(route(file("fluentd-cloudwatch-abcde", "amazon-cloudwatch", "fluentd-cloudwatch")))
                .isEqualTo(ContainerRoute.DROP);
        assertThat(route(file("fluentd", "default", "app"))).isEqualTo(ContainerRoute.DROP);
    }

    @Test
    void theAgentsOwnLogsAndEveryOtherContainerAreApplication() {
        // excluded from the main input but tailed again by inputs of their own, tagged application.*
        assertThat(route(file("cloudwatch-agent-x7k2p", "amazon-cloudwatch", "cloudwatch-agent")))
                .isEqualTo(ContainerRoute.APPLICATION);
        assertThat(route(file("fluent-bit-4hz8m", "amazon-cloudwatch", "fluent-bit")))
                .isEqualTo(ContainerRoute.APPLICATION);
        assertThat(route(file("orders-7d9c6b7f9d-x2m4q", "shop", "orders"))).isEqualTo(ContainerRoute.APPLICATION);
        assertThat(route("/var/log/containers/not-a-kubelet-name.log")).isEqualTo(ContainerRoute.APPLICATION);
    }

    @Test
    void onlyTheFileNameIsMatchedAsExcludePathGlobsMatchIt() {
        // Exclude_Path /var/log/containers/aws-node*: the pod name starts the file name, whatever its namespace
        assertThat(route(file("aws-nodejs-shop-1", "shop", "web"))).isEqualTo(ContainerRoute.DATAPLANE);
        // a prefix elsewhere in the name does not count
        assertThat(route(file("my-aws-node", "shop", "aws-node"))).isEqualTo(ContainerRoute.APPLICATION);
        assertThat(route(file("web-1", "fluentd", "fluentd"))).isEqualTo(ContainerRoute.APPLICATION);
        assertThat(route("/var/log/fluentd/orders-1_shop_orders-" + ID + ".log"))
                .isEqualTo(ContainerRoute.APPLICATION);
        // case matters, as in the glob
        assertThat(route(file("AWS-node-1", "kube-system", "aws-node"))).isEqualTo(ContainerRoute.APPLICATION);
    }

    @Test
    void aDroppedPrefixWinsOverADataplaneOne() {
        RoutingRules rules = new RoutingRules(List.of("kube"), List.of("kube-proxy"));
        assertThat(rules.routeContainerFile(file("kube-proxy-1", "kube-system", "kube-proxy")))
                .isEqualTo(ContainerRoute.DROP);
        assertThat(rules.routeContainerFile(file("kube-dns-1", "kube-system", "coredns")))
                .isEqualTo(ContainerRoute.DATAPLANE);
    }

    @Test
    void theRulesAreFixedWhenMade() {
        List<String> dataplane = new ArrayList<>(List.of("aws-node"));
        RoutingRules rules = new RoutingRules(dataplane, List.of());
        dataplane.add("orders");
        assertThat(rules.routeContainerFile(file("orders-1", "shop", "orders"))).isEqualTo(ContainerRoute.APPLICATION);
        assertThat(rules.dataplanePrefixes()).containsExactly("aws-node");
        assertThatThrownBy(() -> rules.droppedPrefixes().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(CONTAINER_INSIGHTS.dataplanePrefixes()).containsExactly("aws-node", "kube-proxy");
        assertThat(CONTAINER_INSIGHTS.droppedPrefixes()).containsExactly("fluentd");
    }

    @Test
    void itTravelsToTheTaskManagersWhole() throws Exception {
        RoutingRules copy =
                InstantiationUtil.clone(CONTAINER_INSIGHTS, getClass().getClassLoader());
        assertThat(copy.routeContainerFile(file("kube-proxy-1", "kube-system", "kube-proxy")))
                .isEqualTo(ContainerRoute.DATAPLANE);
        assertThat(copy.droppedPrefixes()).containsExactly("fluentd");
    }
}
