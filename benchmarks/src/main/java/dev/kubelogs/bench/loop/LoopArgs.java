package dev.kubelogs.bench.loop;

import java.util.function.Function;

/**
 * A loop's positional arguments ({@code java -cp … SomeLoop [targets] [rounds] …}): each may be left off from the end,
 * and then has its default. An argument that is not the kind asked for is an error naming its position and meaning.
 */
public final class LoopArgs {
    private final String[] args;

    public LoopArgs(String[] args) {
        this.args = args.clone();
    }

    /** Whether argument {@code position} (from 0) was given. */
    public boolean has(int position) {
        return position < args.length;
    }

    public int integer(int position, String name, int fallback) {
        return has(position) ? parsed(position, name, Integer::valueOf) : fallback;
    }

    public long longInteger(int position, String name, long fallback) {
        return has(position) ? parsed(position, name, Long::valueOf) : fallback;
    }

    public double number(int position, String name, double fallback) {
        return has(position) ? parsed(position, name, Double::valueOf) : fallback;
    }

    public String word(int position, String fallback) {
        return has(position) ? args[position] : fallback;
    }

    /** Whether argument {@code position} is {@code word}. */
    public boolean is(int position, String word) {
        return has(position) && args[position].equals(word);
    }

    private <T> T parsed(int position, String name, Function<String, T> parser) {
        try {
            return parser.apply(args[position]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "argument " + (position + 1) + " (" + name + ") is not a number of its kind: " + args[position], e);
        }
    }
}
