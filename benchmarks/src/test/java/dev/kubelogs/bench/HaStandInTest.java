package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

class HaStandInTest {

    @Test
    void servesZooKeeperAtTheQuorumItGivesFlink() throws Exception {
        try (HaStandIn ha = HaStandIn.start()) {
            Map<String, String> conf = ha.flinkConfig("s3://b/kubelogs/c/flink/ha");
            assertThat(conf)
                    .containsEntry("high-availability.type", "zookeeper")
                    .containsEntry("high-availability.storageDir", "s3://b/kubelogs/c/flink/ha");
            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper zk = new ZooKeeper(conf.get("high-availability.zookeeper.quorum"), 10_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            try {
                assertThat(connected.await(30, TimeUnit.SECONDS)).isTrue();
                zk.create("/probe", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertThat(zk.getData("/probe", false, null)).containsExactly(1);
            } finally {
                zk.close();
            }
        }
    }
}
