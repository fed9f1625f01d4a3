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
                req(CountingS3.Kind.PUT, "k/flink/ha/kubelogs-bench/completedCheckpoint1a2b"),
                req(CountingS3.Kind.DELETE, "k/flink/ha/kubelogs-bench/completedCheckpoint0f0f"),
                req(CountingS3.Kind.HEAD, ""));
        SpoolCost.Bill bill = SpoolCost.bill(
                served,
                8_640,
                "k/spool",
                "k/flink/checkpoints",
                "k/flink/ha",
                "c",
                List.of("n1", "n2"),
                List.of("idle-0"));
        // 10 per day for each request of a 8,640 s window; two busy nodes share theirs
        assertThat(bill.busyNode().get(CountingS3.Kind.PUT)).isCloseTo(10, within(1e-9));
        assertThat(bill.busyNode().get(CountingS3.Kind.LIST)).isCloseTo(5, within(1e-9));
        assertThat(bill.idleNode().get(CountingS3.Kind.LIST)).isCloseTo(10, within(1e-9));
        assertThat(bill.clusterSpool().get(CountingS3.Kind.LIST)).isCloseTo(10, within(1e-9));
        assertThat(bill.clusterSpool().get(CountingS3.Kind.HEAD)).isCloseTo(10, within(1e-9));
        assertThat(bill.checkpoints().get(CountingS3.Kind.PUT)).isCloseTo(10, within(1e-9));
        assertThat(bill.haStore().get(CountingS3.Kind.PUT)).isCloseTo(10, within(1e-9));
        assertThat(bill.haStore().get(CountingS3.Kind.DELETE)).isCloseTo(10, within(1e-9));
        assertThat(bill.other().get(CountingS3.Kind.HEAD)).isCloseTo(10, within(1e-9));
        assertThat(bill.other().get(CountingS3.Kind.PUT)).isCloseTo(0, within(1e-9));
        // a node of a 10-node cluster: its own, plus a tenth of the cluster's
        assertThat(bill.perNodeIn(10).get(CountingS3.Kind.PUT)).isCloseTo(10 + 2, within(1e-9));
        assertThat(SpoolCost.dollars(bill.busyNode())).isCloseTo((10 + 5) * 0.005 / 1000, within(1e-12));
    }

    @Test
    void theRequestLogHasOneLineARequestInServedOrder() {
        List<String> log = SpoolCost.requestLog(List.of(
                new CountingS3.Served(1_000, CountingS3.Kind.HEAD, "k/flink/checkpoints/job/chk-2/_metadata", 404),
                new CountingS3.Served(1_001, CountingS3.Kind.LIST, "k/flink/checkpoints/job/chk-2/_metadata/", 200),
                new CountingS3.Served(1_002, CountingS3.Kind.PUT, "k/spool/c/n/1.seg", 200, 4_096)));
        assertThat(log)
                .containsExactly(
                        "millis\tkind\tstatus\tkey\tbytes",
                        "1000\tHEAD\t404\tk/flink/checkpoints/job/chk-2/_metadata\t",
                        "1001\tLIST\t200\tk/flink/checkpoints/job/chk-2/_metadata/\t",
                        "1002\tPUT\t200\tk/spool/c/n/1.seg\t4096");
    }

    @Test
    void theCollectorsReadsOfTheDiscoveryScheduleAreEachNodesAndTheJobsWritesTheClusters() {
        SpoolCost.Bill bill = SpoolCost.bill(
                List.of(
                        req(CountingS3.Kind.GET, "k/spool/discovery-schedule.json"),
                        req(CountingS3.Kind.GET, "k/spool/discovery-schedule.json"),
                        req(CountingS3.Kind.GET, "k/spool/discovery-schedule.json"),
                        req(CountingS3.Kind.PUT, "k/spool/discovery-schedule.json")),
                8_640,
                "k/spool",
                "k/flink/checkpoints",
                "k/flink/ha",
                "c",
                List.of("n1", "n2"),
                List.of("idle-0"));
        // three reads a window by three collectors: one each
        assertThat(bill.busyNode().get(CountingS3.Kind.GET)).isCloseTo(10, within(1e-9));
        assertThat(bill.idleNode().get(CountingS3.Kind.GET)).isCloseTo(10, within(1e-9));
        assertThat(bill.clusterSpool().get(CountingS3.Kind.GET)).isCloseTo(0, within(1e-9));
        assertThat(bill.clusterSpool().get(CountingS3.Kind.PUT)).isCloseTo(10, within(1e-9));
    }

    @Test
    void withoutHaTheStorageDirectoryIsOtherRequests() {
        SpoolCost.Bill bill = SpoolCost.bill(
                List.of(req(CountingS3.Kind.PUT, "k/flink/ha/x")),
                8_640,
                "k/spool",
                "k/flink/checkpoints",
                null,
                "c",
                List.of("n1"),
                List.of());
        assertThat(bill.haStore().get(CountingS3.Kind.PUT)).isCloseTo(0, within(1e-9));
        assertThat(bill.other().get(CountingS3.Kind.PUT)).isCloseTo(10, within(1e-9));
    }

    @Test
    void theDeploymentsHaStorageDirectoryIsWhereTheBenchsHaWrites() throws Exception {
        ShippedSettings shipped = ShippedSettings.read(
                BenchMain.repoRoot(), java.util.Map.of("KUBELOGS_BUCKET", "b", "CLUSTER_NAME", "c", "AWS_REGION", "x"));
        assertThat(SpoolCost.highAvailabilityDir(shipped)).isEqualTo("s3://b/kubelogs/c/flink/ha");
        assertThat(SpoolCost.highAvailabilityDir(shipped.with(java.util.Map.of("high-availability.type", "NONE"))))
                .isNull();
    }
}
