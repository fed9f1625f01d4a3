package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Term filter patterns for unstructured events, as CloudWatch Logs matches them. */
class FilterPatternTest {
    private static boolean matches(String pattern, String message) {
        return FilterPattern.compile(pattern).matches(message);
    }

    @Test
    void anEmptyPatternMatchesEverything() {
        assertThat(matches(null, "anything")).isTrue();
        assertThat(matches("", "")).isTrue();
        assertThat(matches("   ", "x")).isTrue();
    }

    @Test
    void everyTermMustOccurAnywhereInTheMessage() {
        assertThat(matches("ERROR Exception", "2026 ERROR: NullPointerException at x"))
                .isTrue();
        assertThat(matches("ERROR Exception", "2026 ERROR: all fine")).isFalse();
        assertThat(matches("Exception ERROR", "ERROR first, Exception after"))
                .as("order does not matter")
                .isTrue();
    }

    @Test
    void termsAreCaseSensitive() {
        assertThat(matches("ERROR", "error: lower case")).isFalse();
        assertThat(matches("error", "error: lower case")).isTrue();
    }

    @Test
    void aQuotedPhraseMatchesAsAWhole() {
        assertThat(matches("\"connection refused\"", "dial: connection refused"))
                .isTrue();
        assertThat(matches("\"connection refused\"", "refused connection")).isFalse();
        assertThat(matches("\"say \\\"hi\\\"\"", "they say \"hi\" now"))
                .as("escaped quotes")
                .isTrue();
    }

    @Test
    void aMinusTermMustNotOccur() {
        assertThat(matches("ERROR -Retrying", "ERROR: timeout")).isTrue();
        assertThat(matches("ERROR -Retrying", "ERROR: timeout. Retrying")).isFalse();
        assertThat(matches("-\"health check\"", "GET /healthz health check")).isFalse();
        assertThat(matches("-\"health check\"", "GET /orders")).isTrue();
    }

    @Test
    void questionMarkTermsMatchWhenAnyOfThemOccurs() {
        assertThat(matches("?ERROR ?WARN", "WARN: disk 91% full")).isTrue();
        assertThat(matches("?ERROR ?WARN", "ERROR: disk full")).isTrue();
        assertThat(matches("?ERROR ?WARN", "INFO: all fine")).isFalse();
    }

    @Test
    void termsAreSeparatedByTabsAsByBlanks() {
        assertThat(matches("ERROR\tdisk", "ERROR: disk full")).isTrue();
        assertThat(matches("ERROR\tdisk", "ERROR: cpu")).isFalse();
    }

    @Test
    void aLoneMinusOrQuestionMarkBeforeWhitespaceIsNoEmptyTerm() {
        // an empty excluded term would exclude every message; an empty alternative would match every one
        assertThat(matches("-\tRetrying", "ERROR: timeout")).isFalse();
        assertThat(matches("-\tRetrying", "- Retrying")).isTrue();
        assertThat(matches("- Retrying", "- Retrying")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{ $.level = \"ERROR\" }", "[ip, user, status = 500]", "%ERROR|WARN%", " {$.a = 1}"})
    void structuredAndRegularExpressionPatternsAreRefusedNotAnsweredWrongly(String pattern) {
        assertThatThrownBy(() -> FilterPattern.compile(pattern))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.type()).isEqualTo("InvalidParameterException");
                    assertThat(e.status()).isEqualTo(400);
                })
                .hasMessageContaining(pattern);
    }

    @Test
    void mixingAlternativesWithRequiredOrExcludedTermsIsRefused() {
        assertThatThrownBy(() -> FilterPattern.compile("?ERROR WARN"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("only ?alternatives");
        assertThatThrownBy(() -> FilterPattern.compile("?ERROR -WARN")).isInstanceOf(ApiException.class);
    }

    @Test
    void anUnbalancedQuoteIsAnInvalidParameter() {
        assertThatThrownBy(() -> FilterPattern.compile("\"connection refused"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.type()).isEqualTo("InvalidParameterException"))
                .hasMessageContaining("unbalanced quotes");
        assertThatThrownBy(() -> FilterPattern.compile("conn\"ection")).isInstanceOf(ApiException.class);
    }
}
