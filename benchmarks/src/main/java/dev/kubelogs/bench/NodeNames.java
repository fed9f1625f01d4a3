package dev.kubelogs.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/** The generated nodes' names, EKS style, picked so their keys spread evenly over the keyed stage's subtasks. */
public final class NodeNames {
    private NodeNames() {}

    static String nodeName(int i) {
        return String.format(Locale.ROOT, "ip-10-0-%d-%d.us-west-2.compute.internal", 1 + i / 200, 10 + i % 200);
    }

    /**
     * Node names whose keys spread evenly over the keyed stage's subtasks (Flink's key-group assignment, max parallelism
     * 128), as they do on average in a cluster of many nodes. With 2 nodes and parallelism 2 the first two names would
     * both land on subtask 0, and one core would do all the keyed work (the keyed stage is single-threaded per node).
     */
    static List<String> balanced(int nodes, int parallelism) {
        List<String> names = new ArrayList<>();
        int[] load = new int[Math.max(1, parallelism)];
        for (int i = 0; names.size() < nodes && i < 100_000; i++) {
            String name = nodeName(i);
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator("bench/" + name, 128, load.length);
            int min = Arrays.stream(load).min().orElse(0);
            if (load[subtask] == min) {
                load[subtask]++;
                names.add(name);
            }
        }
        return names;
    }
}
