package dev.kubelogs.job.metrics.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Most cases are ported from Prometheus' own {@code model/relabel/relabel_test.go} (TestRelabel and
 * TestRelabelValidate, Prometheus 3.x), with the same inputs and expected outputs; the rest cover what that file
 * leaves implicit (Go's template expansion, no-change identity, RE2 rewrites).
 */
class RelabelerTest {

    // ---- ported from relabel_test.go TestRelabel ----

    @Test
    void replaceExpandsBracedGroupTwice() {
        assertThat(apply(
                        Labels.of("a", "foo", "b", "bar", "c", "baz"),
                        rule().source("a").regex("f(.*)").target("d").replacement("ch${1}-ch${1}")))
                .isEqualTo(Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "choo-choo"));
    }

    @Test
    void replaceRulesSeeEachOthersResults() {
        assertThat(apply(
                        Labels.of("a", "foo", "b", "bar", "c", "baz"),
                        rule().source("a", "b").regex("f(.*);(.*)r").target("a").replacement("b${1}${2}m"),
                        rule().source("c", "a")
                                .regex("(b).*b(.*)ba(.*)")
                                .target("d")
                                .replacement("$1$2$2$3")))
                .isEqualTo(Labels.of("a", "boobam", "b", "bar", "c", "baz", "d", "boooom"));
    }

    @Test
    void dropStopsTheRuleList() {
        assertThat(apply(
                        Labels.of("a", "foo"),
                        rule().source("a").regex(".*o.*").action(RelabelAction.DROP),
                        rule().source("a").regex("f(.*)").target("d").replacement("ch$1-ch$1")))
                .isNull();
        assertThat(apply(
                        Labels.of("a", "foo", "b", "bar"),
                        rule().source("a").regex(".*o.*").action(RelabelAction.DROP)))
                .isNull();
    }

    @Test
    void regexIsAnchored() {
        assertThat(apply(
                        Labels.of("a", "abc"),
                        rule().source("a").regex(".*(b).*").target("d").replacement("$1")))
                .isEqualTo(Labels.of("a", "abc", "d", "b"));
        assertThat(apply(
                        Labels.of("a", "foo"),
                        rule().source("a").regex("no-match").action(RelabelAction.DROP)))
                .isEqualTo(Labels.of("a", "foo"));
        assertThat(apply(Labels.of("a", "foo"), rule().source("a").regex("f|o").action(RelabelAction.DROP)))
                .isEqualTo(Labels.of("a", "foo"));
        assertThat(apply(
                        Labels.of("a", "foo"),
                        rule().source("a").regex("no-match").action(RelabelAction.KEEP)))
                .isNull();
        assertThat(apply(Labels.of("a", "foo"), rule().source("a").regex("f.*").action(RelabelAction.KEEP)))
                .isEqualTo(Labels.of("a", "foo"));
    }

    @Test
    void noReplacementWithoutMatch() {
        assertThat(apply(
                        Labels.of("a", "boo"),
                        rule().source("a").regex("f").target("b").replacement("bar")))
                .isEqualTo(Labels.of("a", "boo"));
    }

    @Test
    void blankReplacementDeletesTheTargetLabel() {
        assertThat(apply(
                        Labels.of("a", "foo", "f", "baz"),
                        rule().source("a").regex("(f).*").target("$1").replacement("$2")))
                .isEqualTo(Labels.of("a", "foo"));
    }

    @Test
    void hashmodTakesTheLastEightBytesOfTheMd5() {
        assertThat(apply(
                        Labels.of("a", "foo", "b", "bar", "c", "baz"),
                        rule().source("c").target("d").modulus(1000).action(RelabelAction.HASHMOD)))
                .isEqualTo(Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "976"));
        assertThat(apply(
                        Labels.of("a", "foo\nbar"),
                        rule().source("a").target("b").modulus(1000).action(RelabelAction.HASHMOD)))
                .isEqualTo(Labels.of("a", "foo\nbar", "b", "734"));
    }

    @Test
    void labelmapCopiesMatchingNames() {
        assertThat(apply(
                        Labels.of("a", "foo", "b1", "bar", "b2", "baz"),
                        rule().regex("(b.*)").replacement("bar_${1}").action(RelabelAction.LABELMAP)))
                .isEqualTo(Labels.of("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2", "baz"));
        assertThat(apply(
                        Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc"),
                        rule().regex("__meta_(my.*)").replacement("${1}").action(RelabelAction.LABELMAP)))
                .isEqualTo(Labels.of(
                        "a",
                        "foo",
                        "__meta_my_bar",
                        "aaa",
                        "__meta_my_baz",
                        "bbb",
                        "__meta_other",
                        "ccc",
                        "my_bar",
                        "aaa",
                        "my_baz",
                        "bbb"));
    }

    @Test
    void targetLabelFromGroups() {
        assertThat(apply(
                        Labels.of("a", "some-name-value"),
                        rule().source("a")
                                .regex("some-([^-]+)-([^,]+)")
                                .replacement("${2}")
                                .target("${1}")))
                .isEqualTo(Labels.of("a", "some-name-value", "name", "value"));
        // a missing group expands to "", which deletes the (absent) target
        assertThat(apply(
                        Labels.of("a", "some-name-value"),
                        rule().source("a")
                                .regex("some-([^-]+)-([^,]+)")
                                .replacement("${3}")
                                .target("${1}")))
                .isEqualTo(Labels.of("a", "some-name-value"));
    }

    @Test
    void invalidExpandedTargetLabelIsSkipped() {
        Labels in = Labels.of("a", "some-name-0");
        assertThat(apply(
                        in,
                        rule().source("a")
                                .regex("some-([^-]+)-([^,]+)")
                                .replacement("${1}")
                                .target("${3}"),
                        rule().source("a")
                                .regex("some-([^-]+)-([^,]+)")
                                .replacement("${1}")
                                .target("${3}"),
                        rule().source("a")
                                .regex("some-([^-]+)(-[^,]+)")
                                .replacement("${1}")
                                .target("${3}")))
                .isSameAs(in);
    }

    @Test
    void realLifeTagParsing() {
        assertThat(apply(
                        Labels.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"),
                        rule().source("__meta_sd_tags")
                                .regex("(?:.+,|^)path:(/[^,]+).*")
                                .replacement("${1}")
                                .target("__metrics_path__"),
                        rule().source("__meta_sd_tags")
                                .regex("(?:.+,|^)job:([^,]+).*")
                                .replacement("${1}")
                                .target("job"),
                        rule().source("__meta_sd_tags")
                                .regex("(?:.+,|^)label:([^=]+)=([^,]+).*")
                                .replacement("${2}")
                                .target("${1}")))
                .isEqualTo(Labels.of(
                        "__meta_sd_tags",
                        "path:/secret,job:some-job,label:foo=bar",
                        "__metrics_path__",
                        "/secret",
                        "job",
                        "some-job",
                        "foo",
                        "bar"));
    }

    @Test
    void labeldropThenReplaceThenKeep() { // Prometheus issue 12283
        assertThat(apply(
                        Labels.of(
                                "__meta_kubernetes_pod_container_port_name",
                                "foo",
                                "__meta_kubernetes_pod_annotation_XXX_metrics_port",
                                "9091"),
                        rule().regex("^__meta_kubernetes_pod_container_port_name$")
                                .action(RelabelAction.LABELDROP),
                        rule().source("__meta_kubernetes_pod_annotation_XXX_metrics_port")
                                .regex("(.+)")
                                .replacement("metrics")
                                .target("__meta_kubernetes_pod_container_port_name"),
                        rule().source("__meta_kubernetes_pod_container_port_name")
                                .regex("^metrics$")
                                .action(RelabelAction.KEEP)))
                .isEqualTo(Labels.of(
                        "__meta_kubernetes_pod_annotation_XXX_metrics_port",
                        "9091",
                        "__meta_kubernetes_pod_container_port_name",
                        "metrics"));
    }

    @Test
    void labelkeepAndLabeldrop() {
        Labels in = Labels.of("a", "foo", "b1", "bar", "b2", "baz");
        assertThat(apply(in, rule().regex("(b.*)").action(RelabelAction.LABELKEEP)))
                .isEqualTo(Labels.of("b1", "bar", "b2", "baz"));
        assertThat(apply(in, rule().regex("(b.*)").action(RelabelAction.LABELDROP)))
                .isEqualTo(Labels.of("a", "foo"));
    }

    @Test
    void upperAndLowercase() {
        assertThat(apply(
                        Labels.of("foo", "bAr123Foo"),
                        rule().source("foo").target("foo_uppercase").action(RelabelAction.UPPERCASE),
                        rule().source("foo").target("foo_lowercase").action(RelabelAction.LOWERCASE)))
                .isEqualTo(Labels.of("foo", "bAr123Foo", "foo_lowercase", "bar123foo", "foo_uppercase", "BAR123FOO"));
    }

    @Test
    void caseMappingIsGosOneToOneMappingPerCodePoint() {
        // Go's strings.ToUpper/ToLower (unicode.ToUpper/ToLower per rune), not Java's full and contextual mappings
        assertThat(apply(
                        Labels.of("a", "straße", "b", "ΟΔΟΣ İ"),
                        rule().source("a").target("a_upper").action(RelabelAction.UPPERCASE),
                        rule().source("b").target("b_lower").action(RelabelAction.LOWERCASE)))
                .isEqualTo(Labels.of("a", "straße", "a_upper", "STRAßE", "b", "ΟΔΟΣ İ", "b_lower", "οδοσ i"));
    }

    @Test
    void keepequalAndDropequal() {
        Labels in = Labels.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678");
        assertThat(apply(in, rule().source("__tmp_port").target("__port1").action(RelabelAction.KEEPEQUAL)))
                .isSameAs(in);
        assertThat(apply(in, rule().source("__tmp_port").target("__port1").action(RelabelAction.DROPEQUAL)))
                .isNull();
        assertThat(apply(in, rule().source("__tmp_port").target("__port2").action(RelabelAction.DROPEQUAL)))
                .isSameAs(in);
        assertThat(apply(in, rule().source("__tmp_port").target("__port2").action(RelabelAction.KEEPEQUAL)))
                .isNull();
    }

    @Test
    void dotMatchesNewlines() {
        assertThat(apply(
                        Labels.of("a", "line1\nline2", "b", "bar", "c", "baz"),
                        rule().source("a").regex("line1.*line2").target("d").replacement("match${1}")))
                .isEqualTo(Labels.of("a", "line1\nline2", "b", "bar", "c", "baz", "d", "match"));
    }

    @Test
    void utf8LabelNames() {
        assertThat(apply(
                        Labels.of("utf-8.label", "line1\nline2", "b", "bar"),
                        rule().source("utf-8.label")
                                .regex("line1.*line2")
                                .target("d")
                                .replacement("match${1}")))
                .isEqualTo(Labels.of("utf-8.label", "line1\nline2", "b", "bar", "d", "match"));
        assertThat(apply(
                        Labels.of("a", "line1\nline2"),
                        rule().source("a")
                                .regex("line1.*line2")
                                .target("utf-8.label${1}")
                                .replacement("match${1}")))
                .isEqualTo(Labels.of("a", "line1\nline2", "utf-8.label", "match"));
    }

    @Test
    void namedGroupsInEveryStyle() {
        assertThat(apply(
                        Labels.of("a", "line1\nline2"),
                        rule().source("a")
                                .regex("(line1).*(?<second>line2)")
                                .target("label1_${1}")
                                .replacement("val_${second}"),
                        rule().source("a")
                                .regex("(line1).*(?<second>line2)")
                                .target("label2_$1")
                                .replacement("val_$second")))
                .isEqualTo(Labels.of("a", "line1\nline2", "label1_line1", "val_line2", "label2_line1", "val_line2"));
    }

    // ---- ported from relabel_test.go TestRelabelValidate (UTF-8 scheme) and relabel.go Validate ----

    @Test
    void replaceWithoutTargetLabelIsRefused() {
        assertRefused(rule(), "target_label", "requires 'target_label' value");
        assertRefused(rule().action(RelabelAction.LOWERCASE), "target_label", "requires 'target_label' value");
    }

    @Test
    void targetsThatAreValidUtf8NamesAreAccepted() {
        new Relabeler(List.of(
                rule().action(RelabelAction.LOWERCASE).target("${3}").build(),
                rule().source("a")
                        .regex("some-([^-]+)-([^,]+)")
                        .replacement("${1}")
                        .target("${3}")
                        .build(),
                rule().source("a")
                        .regex("some-([^-]+)-([^,]+)")
                        .replacement("${1}")
                        .target("0${3}")
                        .build(),
                rule().source("a")
                        .regex("some-([^-]+)-([^,]+)")
                        .replacement("${1}")
                        .target("-${3}")
                        .build()));
    }

    @Test
    void hashmodWithoutModulusIsRefused() {
        assertRefused(
                rule().source("a").target("b").action(RelabelAction.HASHMOD),
                "modulus",
                "hashmod requires non-zero modulus");
    }

    @Test
    void caseAndEqualActionsRefuseAReplacement() {
        assertRefused(
                rule().source("a").target("b").replacement("x").action(RelabelAction.UPPERCASE),
                "replacement",
                "'replacement' can not be set for uppercase action");
        assertRefused(
                rule().source("a").target("b").replacement("x").action(RelabelAction.KEEPEQUAL),
                "replacement",
                "'replacement' can not be set for keepequal action");
    }

    @Test
    void equalActionsRefuseOtherFields() {
        assertRefused(
                rule().source("a").target("b").regex("x").action(RelabelAction.DROPEQUAL),
                "action",
                "dropequal action requires only 'source_labels' and `target_label`");
        assertRefused(
                rule().source("a").action(RelabelAction.KEEPEQUAL),
                "target_label",
                "keepequal action requires 'target_label' value");
    }

    @Test
    void labeldropAndLabelkeepRefuseSourceLabelsAndTargets() {
        assertRefused(
                rule().source("a").regex("x").action(RelabelAction.LABELDROP),
                "action",
                "labeldrop action requires only 'regex', and no other fields");
        assertRefused(
                rule().target("t").regex("x").action(RelabelAction.LABELKEEP),
                "action",
                "labelkeep action requires only 'regex', and no other fields");
        assertRefused(
                rule().separator(",").regex("x").action(RelabelAction.LABELKEEP),
                "action",
                "labelkeep action requires only 'regex'");
    }

    @Test
    void labelmapNeedsAReplacementName() {
        assertRefused(
                rule().regex("x").replacement("").action(RelabelAction.LABELMAP),
                "replacement",
                "\"\" is invalid 'replacement' for labelmap action");
    }

    @Test
    void missingActionAndBadRegexAreRefused() {
        assertRefused(rule().target("a").action(null), "action", "relabel action cannot be empty");
        assertRefused(
                rule().source("a").regex("(unclosed").target("b"), "regex", "invalid regular expression '(unclosed'");
    }

    @Test
    void errorNamesTheRuleIndex() {
        assertThatThrownBy(() -> new Relabeler(List.of(
                        rule().source("a").target("b").build(),
                        rule().source("a")
                                .regex("x")
                                .action(RelabelAction.LABELDROP)
                                .build())))
                .isInstanceOfSatisfying(RelabelConfigException.class, e -> {
                    assertThat(e.ruleIndex()).isEqualTo(1);
                    assertThat(e.getMessage()).startsWith("relabel rule 1, action: ");
                });
    }

    // ---- Go template expansion and what relabel_test.go leaves implicit ----

    @Test
    void expansionFollowsGoRegexpExpand() {
        Labels in = Labels.of("a", "xy");
        String re = "(x)(?P<named_group>y)";
        assertThat(replaced(in, re, "$$1")).isEqualTo("$1"); // $$ is a literal $
        assertThat(replaced(in, re, "$1x")).isNull(); // the group named "1x" does not exist: "" deletes
        assertThat(replaced(in, re, "${1}x")).isEqualTo("xx");
        assertThat(replaced(in, re, "$named_group")).isEqualTo("y"); // Go names may hold '_'
        assertThat(replaced(in, re, "${01}")).isNull(); // no leading zeros: not a group number
        assertThat(replaced(in, re, "a$-b")).isEqualTo("a$-b"); // malformed $ stays as text
        assertThat(replaced(in, re, "${1")).isEqualTo("${1"); // missing brace
        assertThat(replaced(in, re, "$0")).isEqualTo("xy");
        assertThat(replaced(in, "(x)(z)?y", "[$2]")).isEqualTo("[]"); // group that did not take part
    }

    @Test
    void missingSourceLabelsJoinAsEmpty() {
        assertThat(apply(
                        Labels.of("b", "2"),
                        rule().source("a", "b", "c").regex(";2;").target("t").replacement("ok")))
                .isEqualTo(Labels.of("b", "2", "t", "ok"));
    }

    @Test
    void literalReplaceOfAnEmptyValueSetsOrDeletes() {
        // Prometheus' fast path: default regex, no '$' anywhere
        assertThat(apply(Labels.of("x", "1"), rule().target("cluster").replacement("dev")))
                .isEqualTo(Labels.of("x", "1", "cluster", "dev"));
        assertThat(apply(
                        Labels.of("cluster", "dev"),
                        rule().source("nothing").target("cluster").replacement("")))
                .isEqualTo(Labels.EMPTY);
    }

    @Test
    void anUnchangedInputIsReturnedAsIs() {
        Labels in = Labels.of("__name__", "go_goroutines", "job", "j", "proxy", "p");
        Labels out = apply(
                in,
                rule().source("__name__").regex("go_gc_duration_seconds.*").action(RelabelAction.DROP),
                rule().source("__name__", "proxy")
                        .regex("haproxy_frontend.+;(.+)")
                        .target("frontend"),
                rule().source("job").target("job"),
                rule().regex("absent").action(RelabelAction.LABELDROP));
        assertThat(out).isSameAs(in);
    }

    @Test
    void rulesThatChangeNothingAllocateNothing() {
        // the default kubernetes-service-endpoints metric_relabel_configs on a sample they leave alone
        Relabeler r = new Relabeler(List.of(
                rule().source("__name__")
                        .regex("go_gc_duration_seconds.*")
                        .action(RelabelAction.DROP)
                        .build(),
                rule().source("__name__", "proxy")
                        .regex("haproxy_frontend.+;(.+)")
                        .target("frontend")
                        .build(),
                rule().source("__name__", "proxy")
                        .regex("haproxy_backend.+;(.+)")
                        .target("backend")
                        .build(),
                rule().regex("proxy").action(RelabelAction.LABELDROP).build()));
        Labels in = Labels.of(
                "__name__",
                "nginx_ingress_controller_requests",
                "job",
                "kubernetes-service-endpoints",
                "Service",
                "nginx",
                "status",
                "200",
                "instance",
                "10.0.4.2:10254");
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 10_000; i++) {
            r.apply(in);
        }
        long before = threads.getThreadAllocatedBytes(id);
        Labels out = null;
        for (int i = 0; i < 100_000; i++) {
            out = r.apply(in);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(out).isSameAs(in);
        assertThat(allocated).as("bytes allocated by 100 000 calls").isLessThan(100_000);
    }

    @Test
    void goOnlySyntaxIsRewritten() {
        Labels in = Labels.of("a", "ab{x}");
        assertThat(apply(in, rule().source("a").regex("[[:alpha:]]+{x}").action(RelabelAction.KEEP)))
                .isSameAs(in);
        assertThat(apply(
                        Labels.of("a", "[&]"),
                        rule().source("a").regex("[[&]+\\]").action(RelabelAction.KEEP)))
                .isNotNull();
        assertThat(apply(Labels.of("a", "]"), rule().source("a").regex("[]]").action(RelabelAction.KEEP)))
                .isNotNull();
    }

    @Test
    void re2IncompatibleSyntaxIsRefused() {
        assertRefused(rule().source("a").regex("(a)\\1").target("b"), "regex", "back-reference");
        assertRefused(rule().source("a").regex("(?U)a+").target("b"), "regex", "flag U (ungreedy)");
    }

    @Test
    void relabelingIsThreadSafe() throws Exception {
        Relabeler r = new Relabeler(List.of(rule().source("a", "b")
                .regex("(.*);(.*)")
                .target("c")
                .replacement("$2-$1")
                .build()));
        Thread[] threads = new Thread[4];
        boolean[] ok = new boolean[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                boolean good = true;
                for (int i = 0; i < 20_000; i++) {
                    Labels out = r.apply(Labels.of("a", "t" + id, "b", Integer.toString(i)));
                    good &= (i + "-t" + id).equals(out.get("c"));
                }
                ok[id] = good;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ok).containsOnly(true);
    }

    // ---- helpers ----

    private static String replaced(Labels in, String regex, String replacement) {
        Labels out = apply(in, rule().source("a").regex(regex).target("t").replacement(replacement));
        return out.get("t");
    }

    private static Labels apply(Labels in, RuleBuilder... rules) {
        return new Relabeler(
                        java.util.Arrays.stream(rules).map(RuleBuilder::build).toList())
                .apply(in);
    }

    private static void assertRefused(RuleBuilder rule, String field, String message) {
        assertThatThrownBy(() -> new Relabeler(List.of(rule.build())))
                .isInstanceOfSatisfying(RelabelConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).contains(message);
                    assertThat(e.ruleIndex()).isZero();
                });
    }

    static RuleBuilder rule() {
        return new RuleBuilder();
    }

    /** A rule with Prometheus' defaults (separator ;, regex (.*), replacement $1, action replace). */
    static final class RuleBuilder {
        private List<String> source = List.of();
        private String separator = ";";
        private String regex = "(.*)";
        private long modulus;
        private String target = "";
        private String replacement = "$1";
        private RelabelAction action = RelabelAction.REPLACE;

        RuleBuilder source(String... names) {
            source = List.of(names);
            return this;
        }

        RuleBuilder separator(String s) {
            separator = s;
            return this;
        }

        RuleBuilder regex(String r) {
            regex = r;
            return this;
        }

        RuleBuilder modulus(long m) {
            modulus = m;
            return this;
        }

        RuleBuilder target(String t) {
            target = t;
            return this;
        }

        RuleBuilder replacement(String r) {
            replacement = r;
            return this;
        }

        RuleBuilder action(RelabelAction a) {
            action = a;
            return this;
        }

        RelabelConfig build() {
            return new RelabelConfig(source, separator, regex, modulus, target, replacement, action);
        }
    }
}
