package dev.kubelogs.spool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerLogNameTest {
    static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void readsTheKubeletsFileName() {
        ContainerLogName n = ContainerLogName.parse("orders-7d9c6b7f9d-x2m4q_shop_orders-" + ID + ".log");
        assertThat(n).isEqualTo(new ContainerLogName("orders-7d9c6b7f9d-x2m4q", "shop", "orders", ID));
    }

    @Test
    void roundTrips() {
        for (ContainerLogName n : new ContainerLogName[] {
            new ContainerLogName("web-0", "default", "app", ID),
            // a dotted pod name, a container name with dashes and underscores
            new ContainerLogName("coredns.v1-abc", "kube-system", "side-car_2", ID),
            new ContainerLogName("a", "b", "c", ID.replace('a', '9'))
        }) {
            assertThat(ContainerLogName.parse(n.fileName())).isEqualTo(n);
        }
    }

    @Test
    void theContainerNameTakesEverythingUpToTheLastIdAndTheNamespaceNoUnderscore() {
        ContainerLogName n = ContainerLogName.parse("p_ns_c-x-" + ID + ".log");
        assertThat(n.containerName()).isEqualTo("c-x");
        assertThat(n.namespace()).isEqualTo("ns");
    }

    @Test
    void namesNotOfThePatternAreNull() {
        assertThat(ContainerLogName.parse("p_ns_c-" + ID.substring(1) + ".log"))
                .as("short id")
                .isNull();
        assertThat(ContainerLogName.parse("p_ns_c-" + ID.toUpperCase() + ".log"))
                .as("upper-case id")
                .isNull();
        assertThat(ContainerLogName.parse("p_ns_c-" + ID + ".log.1"))
                .as("rotated")
                .isNull();
        assertThat(ContainerLogName.parse("Pod_ns_c-" + ID + ".log"))
                .as("upper-case pod")
                .isNull();
        assertThat(ContainerLogName.parse("pod-ns-c-" + ID + ".log"))
                .as("no underscores")
                .isNull();
        assertThat(ContainerLogName.parse("syslog")).isNull();
        assertThat(ContainerLogName.parse("")).isNull();
    }
}
