package dev.kubelogs.job.multiline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectedRuleSetTest {
    private static final RuleSet CUSTOM =
            RuleSet.builder("custom").rule("start_state", "^BEGIN", "cont").build();
    private static final RuleSet MY_JAVA =
            RuleSet.builder("java").rule("start_state", "^ERR", "cont").build();

    @Test
    void globsMatchTheWholeNameWithStarAndQuestionMark() {
        SelectedRuleSet s = new SelectedRuleSet("prod-*", "web-?", "app", CUSTOM);
        assertThat(s.selects("prod-eu", "web-1", "app")).isTrue();
        assertThat(s.selects("prod-", "web-1", "app")).isTrue();
        assertThat(s.selects("staging", "web-1", "app")).isFalse();
        assertThat(s.selects("prod-eu", "web-12", "app")).isFalse();
        assertThat(s.selects("prod-eu", "web-1", "app2")).isFalse();
        assertThat(s.selects("prod-eu", "web-1", "sidecar-app")).isFalse();
    }

    @Test
    void everythingElseInAGlobIsLiteral() {
        SelectedRuleSet s = new SelectedRuleSet("a.b", "[x]+", "c\\E.*", CUSTOM);
        assertThat(s.selects("a.b", "[x]+", "c\\E.*")).isTrue();
        assertThat(s.selects("axb", "[x]+", "c\\E.*")).isFalse();
        assertThat(s.selects("a.b", "xx", "c\\E.*")).isFalse();
        assertThat(s.selects("a.b", "[x]+", "c\\Eanything")).isFalse();
    }

    @Test
    void missingGlobSelectsAnyNameButNotAMissingName() {
        SelectedRuleSet any = new SelectedRuleSet(null, null, null, CUSTOM);
        assertThat(any.selects("ns", "pod", "c")).isTrue();
        assertThat(any.selects("", "", "")).isTrue();
        // a file whose name does not follow the kubelet's pattern has no names to select
        assertThat(any.selects(null, null, null)).isFalse();
    }

    @Test
    void userSetsComeBeforeTheDefaultBuiltIns() {
        List<SelectedRuleSet> user = List.of(new SelectedRuleSet("ns", "*", "*", CUSTOM));
        assertThat(SelectedRuleSet.forContainer(user, "ns", "p", "c", null))
                .extracting(RuleSet::name)
                .containsExactly("custom", "java", "python", "go");
        assertThat(SelectedRuleSet.forContainer(user, "other", "p", "c", null))
                .extracting(RuleSet::name)
                .containsExactly("java", "python", "go");
    }

    @Test
    void userSetReplacesTheBuiltInOfTheSameNameAndTheFirstSelectingSetWins() {
        RuleSet second =
                RuleSet.builder("custom").rule("start_state", "^OTHER", "cont").build();
        List<SelectedRuleSet> user = List.of(
                new SelectedRuleSet("*", "*", "*", MY_JAVA),
                new SelectedRuleSet("*", "*", "*", CUSTOM),
                new SelectedRuleSet("*", "*", "*", second));
        List<RuleSet> sets = SelectedRuleSet.forContainer(user, "ns", "p", "c", null);
        assertThat(sets).extracting(RuleSet::name).containsExactly("java", "custom", "python", "go");
        assertThat(sets.get(0)).isSameAs(MY_JAVA);
        assertThat(sets.get(1)).isSameAs(CUSTOM);
    }

    @Test
    void annotationKeepsOnlyTheSetItNames() {
        List<SelectedRuleSet> user = List.of(new SelectedRuleSet("ns", "*", "*", CUSTOM));
        assertThat(SelectedRuleSet.forContainer(user, "ns", "p", "c", " custom "))
                .containsExactly(CUSTOM);
        assertThat(SelectedRuleSet.forContainer(user, "ns", "p", "c", "ruby")).containsExactly(BuiltInRuleSets.RUBY);
        assertThat(SelectedRuleSet.forContainer(user, "ns", "p", "c", "go")).containsExactly(BuiltInRuleSets.GO);
    }

    @Test
    void annotationNoneOrAnUnknownOrUnselectedSetTurnsJoiningOff() {
        List<SelectedRuleSet> user = List.of(new SelectedRuleSet("ns", "*", "*", CUSTOM));
        assertThat(SelectedRuleSet.forContainer(user, "ns", "p", "c", "none")).isEmpty();
        assertThat(SelectedRuleSet.forContainer(user, "ns", "p", "c", "perl")).isEmpty();
        assertThat(SelectedRuleSet.forContainer(user, "other", "p", "c", "custom"))
                .isEmpty();
    }

    @Test
    void annotationNamingJavaTakesTheUsersJavaWhenItSelectsTheContainer() {
        List<SelectedRuleSet> user = List.of(new SelectedRuleSet("ns", "*", "*", MY_JAVA));
        assertThat(SelectedRuleSet.forContainer(user, "ns", "p", "c", "java")).containsExactly(MY_JAVA);
        assertThat(SelectedRuleSet.forContainer(user, "other", "p", "c", "java"))
                .containsExactly(BuiltInRuleSets.JAVA);
    }
}
