package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The literal prefilters of the built-in start rules never change what the regexes decide. */
class RuleSetTest {

    private static final String[] FRAGMENTS = {
        "Exception", "Error", "Throwable", "V8 errors stack trace", "Exceptio", "rror", "Traceback (most recent call last):",
        "Traceback (most recent call last)", "panic: ", "panic:", "http: panic serving", "http: panic", "goroutine 1 [running]:",
        ":", "\n", "\r", " ", "\t", "at ", "x", "java.lang.", "IllegalStateException", "NullPointerException: ", "_panic: ",
        "é", "日本", "{\"level\":\"error\"}", "ERROR", "error:", "Caused by: ", "... 3 more"
    };

    @Test
    void prefilteredStartRulesAgreeWithTheirRegexes() {
        SplittableRandom random = new SplittableRandom(42);
        List<String> lines = new ArrayList<>(List.of(
                "java.lang.IllegalStateException: boom\n",
                "Exception in thread \"main\" java.lang.RuntimeException: x",
                "Error: Cannot find module 'x'\n",
                "Traceback (most recent call last):",
                "panic: runtime error: index out of range",
                "2024/05/01 10:00:00 http: panic serving 10.0.0.1:1234: boom",
                "Error:", "xError:", "xError\n", "xThrowable\r", "plain line", ""));
        for (int i = 0; i < 200_000; i++) {
            StringBuilder line = new StringBuilder();
            int parts = random.nextInt(1, 6);
            for (int p = 0; p < parts; p++) {
                line.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            }
            lines.add(line.toString());
        }
        int matched = 0;
        for (RuleSet set : BuiltInRuleSets.DEFAULT_APPLICATION) {
            for (RuleSet.Rule rule : set.rules()) {
                for (String line : lines) {
                    boolean regex = rule.regex().matcher(line).find();
                    assertThat(rule.matches(line)).as("%s %s on %s", set.name(), rule.regex(), line).isEqualTo(regex);
                    matched += regex ? 1 : 0;
                }
            }
        }
        // the corpus exercises both outcomes of the start rules
        assertThat(matched).isGreaterThan(10_000);
    }

    @Test
    void aRuleWithoutLiteralsAlwaysRunsItsRegex() {
        RuleSet set = RuleSet.builder("dates").rule("start_state", "^\\d{4}-", "cont").build();
        assertThat(set.start("2024-05-01 x")).isEqualTo("cont");
        assertThat(set.start("x 2024-05-01")).isNull();
    }

    @Test
    void aPrefilteredRuleRejectsLinesWithoutItsLiteralsEvenIfTheRegexWouldMatch() {
        // the literals are a promise by the rule's author; a wrong promise shows here, not silently in production
        RuleSet.Rule rule = RuleSet.Rule.of("start_state", "boom", "x", List.of("bang"));
        assertThat(rule.matches("boom")).isFalse();
        assertThat(rule.matches("boom bang")).isTrue();
    }
}
