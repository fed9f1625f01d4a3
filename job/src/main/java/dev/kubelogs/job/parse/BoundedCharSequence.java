package dev.kubelogs.job.parse;

/**
 * A line as java.util.regex sees it, with a budget of character reads. The backtracking engine reads the input
 * only through {@link #charAt}, so its work on a line is bounded by the budget: a catastrophic pattern such as
 * {@code (.*a){12}$} gives up with {@link Exhausted} after milliseconds instead of running for minutes. Used for every
 * regex a user writes (multiline rules, [PARSER] regexes), which run on the keyed thread of a whole node.
 */
public final class BoundedCharSequence implements CharSequence {
    private final String text;
    private long left;

    /**
     * Character reads a user's regex may make on a line of {@code length} chars: a base plus fifty per character,
     * far above what a sane pattern needs (a linear scan reads each character a few times) and small enough that a
     * catastrophic one gives up within milliseconds rather than stalling the subtask.
     */
    public static long budgetFor(int length) {
        return 1_000_000L + 50L * length;
    }

    public BoundedCharSequence(String text, long budget) {
        this.text = text;
        this.left = budget;
    }

    @Override
    public char charAt(int index) {
        if (--left < 0) {
            throw Exhausted.INSTANCE;
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    /** Only used for groups of a match that already succeeded: not counted. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }

    /** The budget ran out; thrown often under attack, so it carries no stack trace. */
    public static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public static final Exhausted INSTANCE = new Exhausted();

        private Exhausted() {
            super("regex step budget exhausted", null, false, false);
        }
    }
}
