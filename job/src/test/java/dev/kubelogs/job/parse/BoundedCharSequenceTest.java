package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BoundedCharSequenceTest {

    @Test
    void aSanePatternMatchesWithinTheBudgetOfItsLine() {
        String line = "2026-12-06T04:02:45.123Z ERROR [main] " + "x".repeat(100_000);
        Pattern firstLine = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T[^ ]+ (?<level>[A-Z]+) .*$");
        Matcher m = firstLine.matcher(new BoundedCharSequence(line, BoundedCharSequence.budgetFor(line.length())));
        assertThat(m.matches()).isTrue();
        assertThat(m.group("level")).isEqualTo("ERROR");
    }

    @Test
    void aCatastrophicPatternGivesUpInsteadOfRunningForMinutes() {
        String line = "a".repeat(40) + "b";
        Pattern catastrophic = Pattern.compile("(.*a){12}$");
        BoundedCharSequence bounded = new BoundedCharSequence(line, BoundedCharSequence.budgetFor(line.length()));
        assertThatThrownBy(() -> catastrophic.matcher(bounded).find())
                .isSameAs(BoundedCharSequence.Exhausted.INSTANCE)
                .hasMessage("regex step budget exhausted");
        assertThat(BoundedCharSequence.Exhausted.INSTANCE.getStackTrace()).isEmpty();
    }

    @Test
    void everyCharacterReadCountsAndTheLastAllowedReadSucceeds() {
        BoundedCharSequence s = new BoundedCharSequence("abc", 3);
        assertThat(s.charAt(0)).isEqualTo('a');
        assertThat(s.charAt(2)).isEqualTo('c');
        assertThat(s.charAt(1)).isEqualTo('b');
        assertThatThrownBy(() -> s.charAt(0)).isSameAs(BoundedCharSequence.Exhausted.INSTANCE);
        assertThatThrownBy(() -> new BoundedCharSequence("abc", 0).charAt(0))
                .isSameAs(BoundedCharSequence.Exhausted.INSTANCE);
    }

    @Test
    void lengthGroupsAndTextAreFree() {
        BoundedCharSequence s = new BoundedCharSequence("level=warn", 0);
        assertThat(s.length()).isEqualTo(10);
        assertThat(s.subSequence(6, 10).toString()).isEqualTo("warn");
        assertThat(s.toString()).isEqualTo("level=warn");
    }

    @Test
    void theBudgetGrowsWithTheLine() {
        assertThat(BoundedCharSequence.budgetFor(0)).isEqualTo(1_000_000L);
        assertThat(BoundedCharSequence.budgetFor(1_000)).isEqualTo(1_050_000L);
        // no line length overflows it
        assertThat(BoundedCharSequence.budgetFor(Integer.MAX_VALUE)).isEqualTo(1_000_000L + 50L * Integer.MAX_VALUE);
    }
}
