package dev.kubelogs.job.merge;

import java.util.List;

/**
 * Fluent Bit's built-in java, python and go multiline parsers (src/multiline/flb_ml_parser_{java,python,go}.c),
 * rule for rule (Container Insights reference §3.2). They are on by default for application logs here;
 * the incumbent needs a manual multiline filter for them.
 */
public final class BuiltInRuleSets {
    private BuiltInRuleSets() {}

    public static final RuleSet JAVA = RuleSet.builder("java")
            .rule("start_state, java_start_exception", "(.)(?:Exception|Error|Throwable|V8 errors stack trace)[:\\r\\n]", "java_after_exception",
                    "Exception", "Error", "Throwable", "V8 errors stack trace")
            .rule("java_after_exception", "^[\\t ]*nested exception is:[\\t ]*", "java_start_exception")
            .rule("java_after_exception", "^[\\r\\n]*$", "java_after_exception")
            .rule("java_after_exception, java", "^[\\t ]+(?:eval )?at ", "java")
            .rule("java_after_exception, java", "^[\\t ]+--- End of inner exception stack trace ---$", "java")
            .rule("java_after_exception, java", "^--- End of stack trace from previous location where exception was thrown ---$", "java")
            .rule("java_after_exception, java", "^[\\t ]*(?:Caused by|Suppressed):", "java_after_exception")
            .rule("java_after_exception, java", "^[\\t ]*... \\d+ (?:more|common frames omitted)", "java")
            .build();

    public static final RuleSet PYTHON = RuleSet.builder("python")
            .rule("start_state", "^Traceback \\(most recent call last\\):$", "python", "Traceback (most recent call last):")
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

    public static final List<RuleSet> DEFAULT_APPLICATION = List.of(JAVA, PYTHON, GO);
}
