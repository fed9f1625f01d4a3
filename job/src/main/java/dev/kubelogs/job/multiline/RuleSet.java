package dev.kubelogs.job.multiline;

import dev.kubelogs.job.parse.BoundedCharSequence;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A multiline rule set in Fluent Bit's form (flb_ml_rule.c): rules {@code (from states) regex → to state}.
 * Rules whose from-states include {@code start_state} start a record; the others continue one. A line
 * that continues nothing and starts nothing flushes what is pending and goes out alone.
 */
public final class RuleSet implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String START_STATE = "start_state";

    /**
     * One rule: when in one of {@code from}, a line matching {@code regex} (found anywhere) moves to {@code to}.
     * {@code requiresAny}, when not empty, names literals of which the regex cannot match without one: a line
     * containing none of them is rejected by a substring search, which costs a fraction of running the regex
     * over every position of a line that starts nothing (the common case). A {@code bounded} rule (a user's)
     * matches within a step budget and throws {@link BoundedCharSequence.Exhausted} past it.
     */
    public record Rule(Set<String> from, Pattern regex, String to, List<String> requiresAny, boolean bounded)
            implements Serializable {
        public static Rule of(String from, String regex, String to) {
            return of(from, regex, to, List.of());
        }

        public static Rule of(String from, String regex, String to, List<String> requiresAny) {
            return new Rule(states(from), compile(regex), to, List.copyOf(requiresAny), false);
        }

        /** A user's rule: its regex runs within the step budget. */
        public static Rule bounded(String from, String regex, String to) {
            return new Rule(states(from), compile(regex), to, List.of(), true);
        }

        /**
         * As Fluent Bit's regex engine (Onigmo, Ruby syntax) reads a rule: only {@code \n} ends a line, so {@code .}
         * matches a carriage return or U+2028 inside a line, which Java's default would not.
         */
        static Pattern compile(String regex) {
            return Pattern.compile(regex, Pattern.UNIX_LINES);
        }

        private static Set<String> states(String from) {
            return Set.of(from.split("\\s*,\\s*"));
        }

        public boolean matches(String line) {
            if (!mayMatch(line)) {
                return false;
            }
            if (!bounded) {
                return regex.matcher(line).find();
            }
            return regex.matcher(new BoundedCharSequence(line, BoundedCharSequence.budgetFor(line.length())))
                    .find();
        }

        private boolean mayMatch(String line) {
            if (requiresAny.isEmpty()) {
                return true;
            }
            // indexed: an iterator per rule and line was the stage's most frequent allocation after the event text
            for (int i = 0, n = requiresAny.size(); i < n; i++) {
                if (line.contains(requiresAny.get(i))) {
                    return true;
                }
            }
            return false;
        }
    }

    private final String name;
    private final List<Rule> rules;
    /** The rules that leave start_state, tried on every line that continues nothing. */
    private final List<Rule> startRules;

    public RuleSet(String name, List<Rule> rules) {
        this.name = name;
        this.rules = List.copyOf(rules);
        this.startRules =
                rules.stream().filter(r -> r.from().contains(START_STATE)).toList();
    }

    public String name() {
        return name;
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * The state a line moves a pending record to from {@code state}, or null when it does not continue it.
     * Like flb_ml_rule_process, a continuation only tries rules that are not start rules.
     *
     * @throws RuleBudgetExceededException when a user rule gave up on the line
     */
    public String continueFrom(String state, String line) {
        if (START_STATE.equals(state)) {
            return null;
        }
        for (Rule rule : rules) {
            if (!rule.from().contains(START_STATE) && rule.from().contains(state) && matches(rule, line)) {
                return rule.to();
            }
        }
        return null;
    }

    private boolean matches(Rule rule, String line) {
        try {
            return rule.matches(line);
        } catch (BoundedCharSequence.Exhausted e) {
            throw new RuleBudgetExceededException(name, rule.regex().pattern(), line.length());
        }
    }

    /**
     * True when a record that reached {@code state} is complete: a start rule leaves from it, so the next line
     * can only begin a new record (Fluent Bit's try_flushing_buffer).
     */
    public boolean ends(String state) {
        if (START_STATE.equals(state)) {
            return true;
        }
        for (Rule rule : rules) {
            if (rule.from().contains(START_STATE) && rule.from().contains(state)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The state a line that starts a record moves to, or null when it starts nothing.
     *
     * @throws RuleBudgetExceededException when a user rule gave up on the line
     */
    public String start(String line) {
        for (Rule rule : startRules) {
            if (matches(rule, line)) {
                return rule.to();
            }
        }
        return null;
    }

    /** Builder for user-defined rule sets (e.g. from configuration). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private final List<Rule> rules = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder rule(String from, String regex, String to) {
            rules.add(Rule.of(from, regex, to));
            return this;
        }

        /** A user's rule, matched within the step budget (see {@link Rule}). */
        public Builder userRule(String from, String regex, String to) {
            rules.add(Rule.bounded(from, regex, to));
            return this;
        }

        /** A rule whose regex cannot match a line that contains none of {@code requiresAny} (see {@link Rule}). */
        public Builder rule(String from, String regex, String to, String... requiresAny) {
            rules.add(Rule.of(from, regex, to, List.of(requiresAny)));
            return this;
        }

        public RuleSet build() {
            return new RuleSet(name, rules);
        }
    }
}
