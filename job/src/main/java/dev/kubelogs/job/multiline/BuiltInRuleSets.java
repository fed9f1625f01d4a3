package dev.kubelogs.job.multiline;

import java.util.List;
import java.util.Optional;

/**
 * Fluent Bit's built-in java, python, go and ruby multiline parsers
 * (src/multiline/flb_ml_parser_{java,python,go,ruby}.c), rule for rule (Container Insights reference §3.2).
 * Java, python and go are on by default for application logs here; the incumbent needs a manual multiline
 * filter for them. Ruby is opt-in (a pod annotation or a rules file entry): it would join Ruby backtraces
 * that the default sets leave apart, which changes the events of pods that did not ask for it.
 */
public final class BuiltInRuleSets {
    private BuiltInRuleSets() {}

    public static final RuleSet JAVA = RuleSet.builder("java")
            .rule(
                    "start_state, java_start_exception",
                    "(.)(?:Exception|Error|Throwable|V8 errors stack trace)[:\\r\\n]",
                    "java_after_exception",
                    "Exception",
                    "Error",
                    "Throwable",
                    "V8 errors stack trace")
            .rule("java_after_exception", "^[\\t ]*nested exception is:[\\t ]*", "java_start_exception")
            .rule("java_after_exception", "^[\\r\\n]*$", "java_after_exception")
            .rule("java_after_exception, java", "^[\\t ]+(?:eval )?at ", "java")
            .rule("java_after_exception, java", "^[\\t ]+--- End of inner exception stack trace ---$", "java")
            .rule(
                    "java_after_exception, java",
                    "^--- End of stack trace from previous location where exception was thrown ---$",
                    "java")
            .rule("java_after_exception, java", "^[\\t ]*(?:Caused by|Suppressed):", "java_after_exception")
            .rule("java_after_exception, java", "^[\\t ]*... \\d+ (?:more|common frames omitted)", "java")
            .build();

    public static final RuleSet PYTHON = RuleSet.builder("python")
            .rule(
                    "start_state",
                    "^Traceback \\(most recent call last\\):$",
                    "python",
                    "Traceback (most recent call last):")
            .rule("python", "^[\\t ]+File ", "python_code")
            .rule("python_code", "[^\\t ]", "python")
            .rule("python", "^(?:[^\\s.():]+\\.)*[^\\s.():]+:", "start_state")
            .build();

    public static final RuleSet GO = RuleSet.builder("go")
            .rule("start_state", "\\bpanic: ", "go_after_panic", "panic: ")
            .rule("start_state", "http: panic serving", "go_goroutine", "http: panic serving")
            .rule("go_after_panic", "^$", "go_goroutine")
            .rule("go_after_panic, go_after_signal, go_frame_1", "^$", "go_goroutine")
            .rule("go_after_panic", "^\\[signal ", "go_after_signal")
            .rule("go_goroutine", "^goroutine \\d+ \\[[^\\]]+\\]:$", "go_frame_1")
            .rule("go_frame_1", "^(?:[^\\s.:]+\\.)*[^\\s.():]+\\(|^created by ", "go_frame_2")
            .rule("go_frame_2", "^\\s", "go_frame_1")
            .build();

    public static final RuleSet RUBY = RuleSet.builder("ruby")
            .rule("start_state, ruby_start_exception", "^.+:\\d+:in\\s+.*", "ruby_after_exception", ":in")
            .rule("ruby_after_exception, ruby", "^\\s+from\\s+.*:\\d+:in\\s+.*", "ruby")
            .build();

    public static final List<RuleSet> DEFAULT_APPLICATION = List.of(JAVA, PYTHON, GO);

    /** Every built-in set, defaults first. */
    public static final List<RuleSet> ALL = List.of(JAVA, PYTHON, GO, RUBY);

    /** The built-in set of that name. */
    public static Optional<RuleSet> named(String name) {
        return ALL.stream().filter(rs -> rs.name().equals(name)).findFirst();
    }
}
