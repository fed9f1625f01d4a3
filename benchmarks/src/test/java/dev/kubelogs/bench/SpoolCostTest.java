package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpoolCostTest {

    private static CountingS3.Served req(CountingS3.Kind kind, String key) {
        return new CountingS3.Served(0, kind, key, 200);
    }

    @Test
    void requestsAreAttributedByKeyAndScaledToADay() {
        List<CountingS3.Served> served = List.of(
                req(CountingS3.Kind.PUT, "k/spool/c/n1/00000000000000000001.seg"),
                req(CountingS3.Kind.PUT, "k/spool/c/n2/00000000000000000001.seg"),
                req(CountingS3.Kind.LIST, "k/spool/c/n1/"),
                req(CountingS3.Kind.LIST, "k/spool/c/idle-0/"),
                req(CountingS3.Kind.LIST, "k/spool/c/"),
                req(CountingS3.Kind.HEAD, "k/spool"),
                req(CountingS3.Kind.PUT, "k/flink/checkpoints/job/chk-1/_metadata"),
                req(CountingS3.Kind.HEAD, ""));
        SpoolCost.Bill bill = SpoolCost.bill(
                served, 8_640, "k/spool", "k/flink/checkpoints", "c", List.of("n1", "n2"), List.of("idle-0"));
        // 10 per day for each request of a 8,640 s window; two busy nodes share theirs
        assertThat(bill.busyNode().get(CountingS3.Kind.PUT)).isCloseTo(10, within(1e-9));
        assertThat(bill.busyNode().get(CountingS3.Kind.LIST)).isCloseTo(5, within(1e-9));
        assertThat(bill.idleNode().get(CountingS3.Kind.LIST)).isCloseTo(10, within(1e-9));
        assertThat(bill.clusterSpool().get(CountingS3.Kind.LIST)).isCloseTo(10, within(1e-9));
        assertThat(bill.clusterSpool().get(CountingS3.Kind.HEAD)).isCloseTo(10, within(1e-9));
        assertThat(bill.checkpoints().get(CountingS3.Kind.PUT)).isCloseTo(10, within(1e-9));
        assertThat(bill.other().get(CountingS3.Kind.HEAD)).isCloseTo(10, within(1e-9));
        // a node of a 10-node cluster: its own, plus a tenth of the cluster's
        assertThat(bill.perNodeIn(10).get(CountingS3.Kind.PUT)).isCloseTo(10 + 1, within(1e-9));
        assertThat(SpoolCost.dollars(bill.busyNode())).isCloseTo((10 + 5) * 0.005 / 1000, within(1e-12));
    }
}
