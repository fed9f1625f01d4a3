package dev.kubelogs.bench.loop;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which a loop runs its arms in one JVM, so that each arm meets the same JIT, heap and machine load.
 * Two ways: {@link #rotated} runs every arm once a round, each round starting one arm later, so every arm goes first
 * as often; {@link #inBlocks} warms every arm up, then runs them in turns of a block of rounds each.
 */
public final class Alternation {
    private Alternation() {}

    /** The arms (indexes from 0) in the order they run in round {@code round} (from 0). */
    public static int[] rotated(int round, int arms) {
        if (arms < 1 || round < 0) {
            throw new IllegalArgumentException(
                    "a rotation needs an arm and a round from 0: " + arms + " arms, round " + round);
        }
        int[] order = new int[arms];
        for (int i = 0; i < arms; i++) {
            order[i] = (round + i) % arms;
        }
        return order;
    }

    /**
     * One arm's turn: {@code rounds} rounds from round {@code firstRound} (counted over warm-up and measured rounds
     * alike, as every arm sees them); a warm-up turn ({@code measured} false) is one round and is not billed.
     */
    public record Turn(int arm, int firstRound, int rounds, boolean measured) {}

    /**
     * The turns of {@code arms} arms: {@code warmupRounds} rounds of every arm in turn, then turns of {@code block}
     * rounds of each arm in turn until each has run {@code rounds} measured rounds (the last turns shorter if
     * {@code block} does not divide {@code rounds}).
     */
    public static List<Turn> inBlocks(int arms, int warmupRounds, int rounds, int block) {
        if (arms < 1 || warmupRounds < 0 || rounds < 0 || block < 1) {
            throw new IllegalArgumentException("blocks need an arm, no negative rounds and a block of a round or more: "
                    + arms + " arms, " + warmupRounds + " warm-up rounds, " + rounds + " rounds, block " + block);
        }
        List<Turn> turns = new ArrayList<>();
        for (int r = 0; r < warmupRounds; r++) {
            for (int arm = 0; arm < arms; arm++) {
                turns.add(new Turn(arm, r, 1, false));
            }
        }
        for (int done = 0; done < rounds; done += block) {
            int n = Math.min(block, rounds - done);
            for (int arm = 0; arm < arms; arm++) {
                turns.add(new Turn(arm, warmupRounds + done, n, true));
            }
        }
        return turns;
    }
}
