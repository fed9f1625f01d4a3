package dev.kubelogs.job.parse;

/**
 * A [PARSER] regex ran out of its step budget on a log: it cannot say whether the log matches. Onigmo ends such a
 * search with its retry limit (ONIGERR_RETRY_LIMIT_IN_MATCH_OVER), which Fluent Bit's regex parser takes as no match;
 * the caller does the same and counts it.
 */
public final class ParserBudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String parser;

    ParserBudgetExceededException(String parser, String regex, int logLength) {
        super(
                "parser '" + parser + "': regex " + regex + " gave up on a log of " + logLength
                        + " characters (step budget exceeded)",
                null,
                false,
                false);
        this.parser = parser;
    }

    public String parser() {
        return parser;
    }
}
