package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class NodeOwnershipTest {

    @Test
    void aNodesReaderIsTheSubtaskWhoseKeyGroupRangeHoldsTheNode() {
        NodeOwnership ownership = NodeOwnership.byKeyGroup(128);
        for (int parallelism = 1; parallelism <= 7; parallelism++) {
            for (int n = 0; n < 200; n++) {
                String node = "prod/ip-10-0-" + n + ".ec2.internal";
                int owner = ownership.owner(node, parallelism);
                // what keyBy(cluster/node) does with the same string: its key group, then that group's subtask
                KeyGroupRange range =
                        KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(128, parallelism, owner);
                assertThat(range.contains(KeyGroupRangeAssignment.assignToKeyGroup(node, 128)))
                        .as("%s at parallelism %d", node, parallelism)
                        .isTrue();
                for (int subtask = 0; subtask < parallelism; subtask++) {
                    assertThat(ownership.mayRead(node, subtask, parallelism)).isEqualTo(subtask == owner);
                }
            }
        }
    }

    @Test
    void nodesSpreadOverEveryReader() {
        NodeOwnership ownership = NodeOwnership.byKeyGroup(128);
        Set<Integer> owners = new HashSet<>();
        for (int n = 0; n < 100; n++) {
            owners.add(ownership.owner("prod/node-" + n, 4));
        }
        assertThat(owners).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void anyReaderMayReadAnyNode() {
        NodeOwnership any = NodeOwnership.anyReader();
        assertThat(any.alignedWithKeyGroups()).isFalse();
        assertThat(any.mayRead("prod/n1", 0, 3)).isTrue();
        assertThat(any.mayRead("prod/n1", 2, 3)).isTrue();
        assertThat(NodeOwnership.byKeyGroup(128).alignedWithKeyGroups()).isTrue();
    }

    @Test
    void aMaxParallelismFlinkRefusesIsRefusedHere() {
        assertThatThrownBy(() -> NodeOwnership.byKeyGroup(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
