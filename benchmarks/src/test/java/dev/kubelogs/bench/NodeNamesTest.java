package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class NodeNamesTest {

    @Test
    void namesLookLikeEksNodesAndMoveToTheNextSubnetEvery200() {
        assertThat(NodeNames.nodeName(0)).isEqualTo("ip-10-0-1-10.us-west-2.compute.internal");
        assertThat(NodeNames.nodeName(199)).isEqualTo("ip-10-0-1-209.us-west-2.compute.internal");
        assertThat(NodeNames.nodeName(200)).isEqualTo("ip-10-0-2-10.us-west-2.compute.internal");
    }

    @Test
    void balancedNamesSpreadEvenlyOverTheKeyedSubtasks() {
        List<String> names = NodeNames.balanced(6, 3);

        assertThat(names).hasSize(6).doesNotHaveDuplicates();
        Map<Integer, Long> perSubtask = names.stream()
                .collect(Collectors.groupingBy(
                        n -> KeyGroupRangeAssignment.assignKeyToParallelOperator("bench/" + n, 128, 3),
                        Collectors.counting()));
        assertThat(perSubtask).containsOnlyKeys(0, 1, 2);
        assertThat(perSubtask.values()).containsOnly(2L);
    }

    @Test
    void withOneSubtaskTheNamesAreTheFirstOnes() {
        assertThat(NodeNames.balanced(3, 1))
                .containsExactly(NodeNames.nodeName(0), NodeNames.nodeName(1), NodeNames.nodeName(2));
        assertThat(NodeNames.balanced(2, 0)).map(Function.identity()).hasSize(2);
    }
}
