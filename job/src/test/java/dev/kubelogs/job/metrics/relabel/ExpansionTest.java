package dev.kubelogs.job.metrics.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** Expected values follow Go's {@code regexp.Expand}, which Prometheus relabelling uses. */
class ExpansionTest {

    @Test
    void numberedAndBracedGroups() {
        assertThat(expand("(a+)-(b+)", "aa-bb", "$2:$1")).isEqualTo("bb:aa");
        assertThat(expand("(a+)-(b+)", "aa-bb", "${1}x")).isEqualTo("aax");
        assertThat(expand("(a+)-(b+)", "aa-bb", "$0")).isEqualTo("aa-bb");
    }

    @Test
    void nameTakesTheLongestWordRun() {
        // $1x is the group named 1x (none), not group 1 followed by x
        assertThat(expand("(a+)", "aa", "$1x")).isEmpty();
        assertThat(expand("(a+)", "aa", "$1_")).isEmpty();
        assertThat(expand("(a+)", "aa", "$1-x")).isEqualTo("aa-x");
    }

    @Test
    void namedGroups() {
        assertThat(expand("(?P<pod>[a-z]+)/(?P<ns>[a-z]+)", "web/prod", "$ns.${pod}"))
                .isEqualTo("prod.web");
        assertThat(expand("(?P<pod>[a-z]+)", "web", "$missing|${missing}")).isEqualTo("|");
    }

    @Test
    void doubleDollarIsALiteralDollar() {
        assertThat(expand("(a)", "a", "$$1")).isEqualTo("$1");
        assertThat(expand("(a)", "a", "$$$1")).isEqualTo("$a");
        assertThat(Expansion.parse("cost$$", Re2Regex.compile("x")).isLiteral()).isTrue();
        assertThat(Expansion.parse("cost$$", Re2Regex.compile("x")).literal()).isEqualTo("cost$");
    }

    @Test
    void malformedReferenceIsKeptAsText() {
        assertThat(expand("(a)", "a", "$")).isEqualTo("$");
        assertThat(expand("(a)", "a", "x$")).isEqualTo("x$");
        assertThat(expand("(a)", "a", "${}")).isEqualTo("${}");
        assertThat(expand("(a)", "a", "${1")).isEqualTo("${1");
        assertThat(expand("(a)", "a", "${1-}")).isEqualTo("${1-}");
        assertThat(expand("(a)", "a", "$-$1")).isEqualTo("$-a");
        assertThat(expand("(a)", "a", "$ 1")).isEqualTo("$ 1");
    }

    @Test
    void leadingZeroIsANameNotANumber() {
        assertThat(expand("(a)", "a", "$01")).isEmpty();
        assertThat(expand("(a)", "a", "${01}")).isEmpty();
        assertThat(expand("(a)", "a", "$0")).isEqualTo("a");
    }

    @Test
    void groupOutOfRangeOrNotInTheMatchIsEmpty() {
        assertThat(expand("(a)", "a", "[$2]")).isEqualTo("[]");
        assertThat(expand("(a)", "a", "[$99999999999]")).isEqualTo("[]");
        assertThat(expand("(a)|(b)", "b", "[$1][$2]")).isEqualTo("[][b]");
    }

    @Test
    void unicodeLettersBelongToTheName() {
        // Go reads runes: a letter outside ASCII continues the name
        assertThat(expand("(a)", "a", "$1é")).isEmpty();
        assertThat(expand("(a)", "a", "${1}é")).isEqualTo("aé");
    }

    @Test
    void templateWithoutReferenceIsLiteral() {
        Expansion plain = Expansion.parse("static", Re2Regex.compile("(a)"));
        assertThat(plain.isLiteral()).isTrue();
        assertThat(plain.literal()).isEqualTo("static");
        assertThat(plain.template()).isEqualTo("static");
        Expansion ref = Expansion.parse("x$1", Re2Regex.compile("(a)"));
        assertThat(ref.isLiteral()).isFalse();
        assertThat(ref.template()).isEqualTo("x$1");
    }

    private static String expand(String re, String input, String template) {
        Re2Regex regex = Re2Regex.compileAnchored(re);
        Matcher m = regex.pattern().matcher(input);
        assertThat(m.matches()).as("%s matches %s", re, input).isTrue();
        StringBuilder out = new StringBuilder();
        Expansion.parse(template, regex).appendTo(out, m, input);
        return out.toString();
    }
}
