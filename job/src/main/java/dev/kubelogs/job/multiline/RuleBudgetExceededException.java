package dev.kubelogs.job.multiline;

/** A user rule's regex ran out of its step budget on a line: the rule set cannot say whether the line matches. */
public final class RuleBudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String ruleSet;
    private final String regex;

    RuleBudgetExceededException(String ruleSet, String regex, int lineLength) {
        super(
                "rule set '" + ruleSet + "': regex " + regex + " gave up on a line of " + lineLength
                        + " characters (step budget exceeded)",
                null,
                false,
                false);
        this.ruleSet = ruleSet;
        this.regex = regex;
    }

    public String ruleSet() {
        return ruleSet;
    }

    public String regex() {
        return regex;
    }
}
