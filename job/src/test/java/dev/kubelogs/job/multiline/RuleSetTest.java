package dev.kubelogs.job.multiline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The literal prefilters of the built-in start rules never change what the regexes decide. */
class RuleSetTest {

    private static final String[] FRAGMENTS = {
        "Exception",
        "Error",
        "Throwable",
        "V8 errors stack trace",
        "Exceptio",
        "rror",
        "Traceback (most recent call last):",
        "Traceback (most recent call last)",
        "panic: ",
        "panic:",
        "http: panic serving",
        "http: panic",
        "goroutine 1 [running]:",
        ":",
        "\n",
        "\r",
        " ",
        "\t",
        "at ",
        "x",
        "java.lang.",
        "IllegalStateException",
        "NullPointerException: ",
        "_panic: ",
        "é",
        "日本",
        "{\"level\":\"error\"}",
        "ERROR",
        "error:",
        "Caused by: ",
        "... 3 more",
        ":12:in ",
        ":in",
        "/app/a.rb",
        "\tfrom ",
        "`<main>'",
        "3"
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
                "Error:",
                "xError:",
                "xError\n",
                "xThrowable\r",
                "plain line",
                "",
                "/app/a.rb:12:in `x': boom (RuntimeError)\n",
                "a.rb:1:in\n",
                ":1:in x"));
        for (int i = 0; i < 200_000; i++) {
            StringBuilder line = new StringBuilder();
            int parts = random.nextInt(1, 6);
            for (int p = 0; p < parts; p++) {
                line.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            }
            lines.add(line.toString());
        }
        int matched = 0;
        for (RuleSet set : BuiltInRuleSets.ALL) {
            for (RuleSet.Rule rule : set.rules()) {
                for (String line : lines) {
                    boolean regex = rule.regex().matcher(line).find();
                    assertThat(rule.matches(line))
                            .as("%s %s on %s", set.name(), rule.regex(), line)
                            .isEqualTo(regex);
                    matched += regex ? 1 : 0;
                }
            }
        }
        // the corpus exercises both outcomes of the start rules
        assertThat(matched).isGreaterThan(10_000);
    }

    @Test
    void rubyBacktracesFollowFluentBitsRubyRules() {
        RuleSet ruby = BuiltInRuleSets.RUBY;
        assertThat(ruby.start("/app/models/order.rb:12:in `total': undefined method `+' for nil (NoMethodError)"))
                .isEqualTo("ruby_after_exception");
        assertThat(ruby.continueFrom("ruby_after_exception", "\tfrom /app/app.rb:5:in `<main>'"))
                .isEqualTo("ruby");
        assertThat(ruby.continueFrom("ruby", "        from /usr/lib/ruby/3.2.0/x.rb:44:in `block in run'"))
                .isEqualTo("ruby");
        assertThat(ruby.continueFrom("ruby", "Completed 500 Internal Server Error"))
                .isNull();
        assertThat(ruby.start("GET /orders 200")).isNull();
        // no start rule leaves a ruby state: a backtrace ends with the first line that continues nothing
        assertThat(ruby.ends("ruby")).isFalse();
    }

    @Test
    void aUserRuleGivesUpOnACatastrophicLineWithinItsStepBudget() {
        RuleSet hostile = RuleSet.builder("hostile")
                .userRule("start_state", "(.*a){12}$", "cont")
                .build();
        assertThatThrownBy(() -> hostile.start("a".repeat(60) + "!"))
                .isInstanceOf(RuleBudgetExceededException.class)
                .hasMessageContaining("'hostile'")
                .hasMessageContaining("(.*a){12}$");
        // a linear user rule has budget to spare, even on a 1 MiB line
        RuleSet sane = RuleSet.builder("sane")
                .userRule("start_state", "\\bpanic: ", "cont")
                .build();
        assertThat(sane.start("x".repeat(1 << 20) + " panic: boom")).isEqualTo("cont");
        // built-in rules are not bounded (their literal prefilters keep them cheap)
        assertThat(BuiltInRuleSets.JAVA.rules()).noneMatch(RuleSet.Rule::bounded);
    }

    @Test
    void onlyALineFeedEndsALineAsInFluentBitsRegexEngine() {
        // Onigmo's . matches \r, U+0085 and U+2028; Java's does only with UNIX_LINES
        RuleSet.Rule rule = RuleSet.Rule.of("start_state", "^Exception.*: .*$", "cont");
        assertThat(rule.matches("Exception in thread\r\"main\": boom")).isTrue();
        assertThat(rule.matches("Exception in\u2028thread: boom")).isTrue();
        assertThat(RuleSet.Rule.bounded("start_state", "^a.b$", "x").matches("a\u0085b"))
                .isTrue();
        assertThat(rule.matches("Exception in\nthread: boom")).isFalse();
    }

    @Test
    void aRuleWithoutLiteralsAlwaysRunsItsRegex() {
        RuleSet set =
                RuleSet.builder("dates").rule("start_state", "^\\d{4}-", "cont").build();
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
