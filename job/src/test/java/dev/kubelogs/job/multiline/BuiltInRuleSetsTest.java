package dev.kubelogs.job.multiline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each built-in set takes its language's whole trace and stops at the next ordinary line. */
class BuiltInRuleSetsTest {

    @Test
    void javaTraceWithCauseAndElidedFrames() {
        assertThat(takes(
                        BuiltInRuleSets.JAVA,
                        "Exception in thread \"main\" java.lang.IllegalStateException: boom",
                        "\tat com.example.App.main(App.java:5)",
                        "Caused by: java.io.IOException: disk",
                        "\tat com.example.Disk.read(Disk.java:9)",
                        "\t... 1 more"))
                .isEqualTo(5);
        assertThat(takes(
                        BuiltInRuleSets.JAVA,
                        "java.lang.RuntimeException: x",
                        "\tat a.B.c(B.java:1)",
                        "INFO next request"))
                .isEqualTo(2);
        assertThat(BuiltInRuleSets.JAVA.start("INFO all good")).isNull();
    }

    @Test
    void pythonTraceEndsWithItsExceptionLine() {
        String[] trace = {
            "Traceback (most recent call last):",
            "  File \"app.py\", line 3, in <module>",
            "    main()",
            "ValueError: bad value"
        };
        assertThat(takes(BuiltInRuleSets.PYTHON, trace)).isEqualTo(4);
        String state = stateAfter(BuiltInRuleSets.PYTHON, trace);
        assertThat(BuiltInRuleSets.PYTHON.ends(state)).isTrue();
        assertThat(BuiltInRuleSets.PYTHON.start("Traceback (most recent call last): extra"))
                .isNull();
    }

    @Test
    void goPanicWithGoroutineFrames() {
        assertThat(takes(
                        BuiltInRuleSets.GO,
                        "panic: boom",
                        "",
                        "goroutine 1 [running]:",
                        "main.main()",
                        "\t/app/main.go:5 +0x25",
                        "exit status 2"))
                .isEqualTo(5);
        assertThat(BuiltInRuleSets.GO.start("2024/05/01 http: panic serving 10.0.0.1:5000: boom"))
                .isEqualTo("go_goroutine");
        assertThat(BuiltInRuleSets.GO.start("nopanic: here")).isNull();
    }

    @Test
    void rubyBacktrace() {
        assertThat(takes(
                        BuiltInRuleSets.RUBY,
                        "app.rb:3:in `fail': boom (RuntimeError)",
                        "\tfrom app.rb:7:in `<main>'",
                        "I, [2024-05-01] INFO -- : next"))
                .isEqualTo(2);
    }

    @Test
    void rubyIsOptInAndEverySetIsFoundByName() {
        assertThat(BuiltInRuleSets.DEFAULT_APPLICATION)
                .extracting(RuleSet::name)
                .containsExactly("java", "python", "go");
        assertThat(BuiltInRuleSets.ALL).extracting(RuleSet::name).containsExactly("java", "python", "go", "ruby");
        for (RuleSet set : BuiltInRuleSets.ALL) {
            assertThat(BuiltInRuleSets.named(set.name())).containsSame(set);
        }
        assertThat(BuiltInRuleSets.named("Java")).isEmpty();
        assertThat(BuiltInRuleSets.named("none")).isEmpty();
    }

    /** How many of the lines one record takes: the first must start it. */
    private static int takes(RuleSet set, String... lines) {
        String state = set.start(lines[0]);
        assertThat(state).as("%s starts with %s", set.name(), lines[0]).isNotNull();
        int n = 1;
        while (n < lines.length) {
            state = set.continueFrom(state, lines[n]);
            if (state == null) {
                break;
            }
            n++;
        }
        return n;
    }

    private static String stateAfter(RuleSet set, String... lines) {
        String state = set.start(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            state = set.continueFrom(state, lines[i]);
        }
        return state;
    }
}
