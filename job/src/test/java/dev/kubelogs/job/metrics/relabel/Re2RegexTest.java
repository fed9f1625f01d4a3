package dev.kubelogs.job.metrics.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class Re2RegexTest {

    @Test
    void dollarIsTheEndOfTheText() {
        // Java's $ also matches before a final line break; Go's does not
        assertThat(find("^envoy$", "envoy\n")).isFalse();
        assertThat(find("^envoy$", "envoy")).isTrue();
        assertThat(find("[$]", "a$b")).isTrue(); // a $ in a class stays a literal
    }

    @Test
    void multilineFlagKeepsDollarAsEndOfLine() {
        assertThat(find("(?m)^a$", "a\nb")).isTrue();
    }

    @Test
    void namedGroupsWithUnderscoresKeepTheirNumbers() {
        Re2Regex re = Re2Regex.compile("(a)(?P<pod_name>b)(?<c_2>c)");
        assertThat(re.groupIndex("pod_name")).isEqualTo(2);
        assertThat(re.groupIndex("c_2")).isEqualTo(3);
        assertThat(re.groupIndex("missing")).isEqualTo(-1);
        assertThat(re.pattern().matcher("abc").matches()).isTrue();
    }

    @Test
    void posixClassesAndLiteralBrackets() {
        assertThat(find("^[[:alpha:]]+$", "ab")).isTrue();
        assertThat(find("^[[:alpha:]]+$", "a:")).isFalse(); // Java would read [:alpha:] as the characters :alph
        assertThat(find("^[[:^digit:]]$", "x")).isTrue();
        assertThat(find("^[[&]+$", "[&[")).isTrue();
        assertThat(find("^[a&&b]$", "&")).isTrue(); // && is no intersection in RE2
        assertThat(find("^[]a]+$", "]a")).isTrue();
    }

    @Test
    void braceThatIsNoRepetitionIsALiteral() {
        assertThat(find("^a{x}$", "a{x}")).isTrue();
        assertThat(find("^a{,2}$", "a{,2}")).isTrue();
        assertThat(find("^a{2}$", "aa")).isTrue();
        assertThat(find("^\\x{41}\\p{Lu}$", "AB")).isTrue();
    }

    @Test
    void anchoredCompileMatchesNewlinesWithDot() {
        assertThat(Re2Regex.compileAnchored("a.b").pattern().matcher("a\nb").matches())
                .isTrue();
        assertThat(Re2Regex.compile("a.b").pattern().matcher("a\nb").find()).isFalse();
        assertThat(Re2Regex.compile("a.b").pattern().matcher("a\rb").find()).isTrue(); // only \n ends a line
    }

    @Test
    void perlClassesAndBoundariesMeanWhatTheyMeanInGo() {
        // Go: \s is [\t\n\f\r ], \v the vertical tab alone, \b a boundary of ASCII word characters
        assertThat(find("^a\\sb$", "a\u000Bb")).isFalse();
        assertThat(find("^a\\sb$", "a\tb")).isTrue();
        assertThat(find("^a[\\s,]b$", "a\u000Bb")).isFalse();
        assertThat(find("^a\\Sb$", "a\u000Bb")).isTrue();
        assertThat(find("^a[\\S]b$", "a\u000Bb")).isTrue();
        assertThat(find("^a[^\\S]b$", "a b")).isTrue();
        assertThat(find("^a[^\\S]b$", "axb")).isFalse();
        assertThat(find("^a\\vb$", "a\nb")).isFalse();
        assertThat(find("^a\\vb$", "a\u000Bb")).isTrue();
        assertThat(find("a\\b", "aé")).isTrue();
        assertThat(find("a\\B", "aé")).isFalse();
        assertThat(find("a\\B", "ab")).isTrue();
    }

    @Test
    void caseFoldingIsUnicode() {
        assertThat(find("(?i)^äb$", "ÄB")).isTrue();
    }

    @Test
    void constructsWithoutFaithfulJavaMeaningAreRefused() {
        assertThatThrownBy(() -> Re2Regex.compile("(a)\\1"))
                .isInstanceOf(PatternSyntaxException.class)
                .hasMessageContaining("back-reference");
        assertThatThrownBy(() -> Re2Regex.compile("(?U)a+")).hasMessageContaining("flag U");
        assertThatThrownBy(() -> Re2Regex.compile("a\\C")).hasMessageContaining("\\C");
        assertThatThrownBy(() -> Re2Regex.compile("[[:nope:]]")).hasMessageContaining("unknown POSIX class");
        assertThatThrownBy(() -> Re2Regex.compile("(?P<a>x)(?P<a>y)")).hasMessageContaining("duplicate group name");
        assertThatThrownBy(() -> Re2Regex.compile("(?P<a-b>x)")).hasMessageContaining("invalid group name");
    }

    private static boolean find(String re2, String input) {
        return Re2Regex.compile(re2).pattern().matcher(input).find();
    }
}
