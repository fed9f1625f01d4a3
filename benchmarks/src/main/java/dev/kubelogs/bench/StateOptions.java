package dev.kubelogs.bench;

import java.util.List;
import picocli.CommandLine.Option;

/** {@code ./pipeline bench}'s options of the source enumerator's state-size table. */
final class StateOptions {
    @Option(
            names = "--state-nodes",
            split = ",",
            defaultValue = "1,10,100,1000",
            description = "Nodes for the state-size table (default: ${DEFAULT-VALUE}).")
    List<Integer> stateNodes;

    @Option(
            names = "--state-segments",
            split = ",",
            defaultValue = "1,10,100",
            description = "Segments per node for the state-size table (default: ${DEFAULT-VALUE}).")
    List<Integer> stateSegments;

    void applyQuick() {
        stateNodes = List.of(1, 10);
        stateSegments = List.of(1, 10);
    }
}
