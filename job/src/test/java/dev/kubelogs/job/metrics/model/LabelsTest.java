package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The label set's order, builder rules and the operations the scrape path uses. */
class LabelsTest {

    @Test
    void labelsAreSortedByNameInJavaStringOrderWhateverTheOrderGiven() {
        Labels labels = Labels.of("pod", "p", "Namespace", "ns", "code", "200", "_x", "1");

        assertThat(names(labels)).containsExactly("Namespace", "_x", "code", "pod");
        assertThat(labels).hasToString("{Namespace=\"ns\",_x=\"1\",code=\"200\",pod=\"p\"}");
    }

    @Test
    void aLaterSetOfANameWinsAndAnEmptyOrNullValueRemovesIt() {
        Labels labels = Labels.builder()
                .set("b", "1")
                .set("a", "1")
                .set("b", "2")
                .set("a", "")
                .set("c", "3")
                .set("c", null)
                .set("d", "4")
                .remove("x")
                .build();

        assertThat(labels).isEqualTo(Labels.of("b", "2", "d", "4"));
        assertThat(labels.size()).isEqualTo(2);
    }

    @Test
    void theBuilderAgreesWithASortedMapOnRandomEdits() {
        Random random = new Random(14);
        for (int round = 0; round < 200; round++) {
            TreeMap<String, String> expected = new TreeMap<>();
            Labels.Builder b = round % 2 == 0 ? Labels.builder() : Labels.of("m", "0").toBuilder();
            if (round % 2 == 1) {
                expected.put("m", "0");
            }
            for (int op = 0; op < 40; op++) {
                String name = Character.toString((char) ('A' + random.nextInt(40)));
                String value = random.nextInt(5) == 0 ? "" : Integer.toString(random.nextInt(3));
                if (random.nextInt(6) == 0) {
                    b.remove(name);
                    expected.remove(name);
                } else {
                    b.set(name, value);
                    if (value.isEmpty()) {
                        expected.remove(name);
                    } else {
                        expected.put(name, value);
                    }
                }
                assertThat(b.get(name)).isEqualTo(expected.get(name));
            }
            assertThat(b.build().toMap()).isEqualTo(expected);
        }
    }

    @Test
    void buildingTwiceFromOneBuilderGivesIndependentLabels() {
        Labels.Builder b = Labels.builder().set("a", "1");
        Labels first = b.build();
        Labels second = b.set("a", "2").set("b", "3").build();

        assertThat(first).isEqualTo(Labels.of("a", "1"));
        assertThat(second).isEqualTo(Labels.of("a", "2", "b", "3"));
    }

    @Test
    void toBuilderLeavesTheOriginalAlone() {
        Labels original = Labels.of("a", "1", "c", "3");
        Labels changed = original.toBuilder().set("b", "2").remove("c").build();

        assertThat(original).isEqualTo(Labels.of("a", "1", "c", "3"));
        assertThat(changed).isEqualTo(Labels.of("a", "1", "b", "2"));
    }

    @Test
    void withoutRemovesOneLabelAndReturnsTheSameSetWhenAbsent() {
        Labels labels = Labels.of("handler", "/x", "le", "0.5", "method", "GET");

        assertThat(labels.without("le")).isEqualTo(Labels.of("handler", "/x", "method", "GET"));
        assertThat(labels.without("handler")).isEqualTo(Labels.of("le", "0.5", "method", "GET"));
        assertThat(labels.without("method")).isEqualTo(Labels.of("handler", "/x", "le", "0.5"));
        assertThat(labels.without("zone")).isSameAs(labels);
        assertThat(Labels.of("le", "1").without("le")).isSameAs(Labels.EMPTY);
    }

    @Test
    void unionKeepsThisSetsValueForASharedNameAndAddsTheOthers() {
        Labels exposed = Labels.of("code", "200", "job", "exporter");
        Labels target = Labels.of("job", "app", "instance", "10.0.0.1:80", "Namespace", "shop");

        assertThat(exposed.union(target))
                .isEqualTo(Labels.of("code", "200", "job", "exporter", "instance", "10.0.0.1:80", "Namespace", "shop"));
        assertThat(target.union(exposed))
                .isEqualTo(Labels.of("code", "200", "job", "app", "instance", "10.0.0.1:80", "Namespace", "shop"));
    }

    @Test
    void unionReturnsAnOperandItselfWhenTheOtherAddsNothing() {
        Labels labels = Labels.of("a", "1", "b", "2");

        assertThat(labels.union(Labels.EMPTY)).isSameAs(labels);
        assertThat(Labels.EMPTY.union(labels)).isSameAs(labels);
        assertThat(labels.union(Labels.of("b", "other"))).isSameAs(labels);
    }

    @Test
    void unionAgreesWithAMapMergeOnRandomSets() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            Map<String, String> a = randomMap(random);
            Map<String, String> b = randomMap(random);
            TreeMap<String, String> expected = new TreeMap<>(b);
            expected.putAll(a);

            assertThat(Labels.of(a).union(Labels.of(b)).toMap()).isEqualTo(expected);
        }
    }

    @Test
    void arraysAreTakenAsTheyAreOnlyWhenStrictlyAscendingWithValues() {
        String[] names = {"a", "b"};
        Labels taken = Labels.fromArrays(names, new String[] {"1", "2"});
        names[0] = "changed";

        assertThat(taken.name(0)).isEqualTo("changed");
        assertThat(Labels.fromArrays(new String[0], new String[0])).isSameAs(Labels.EMPTY);
        assertThat(Labels.fromArrays(new String[] {"b", "a"}, new String[] {"1", "2"}))
                .isEqualTo(Labels.of("a", "2", "b", "1"));
        assertThat(Labels.fromArrays(new String[] {"a", "a"}, new String[] {"1", "2"}))
                .isEqualTo(Labels.of("a", "2"));
        assertThat(Labels.fromArrays(new String[] {"a", "b"}, new String[] {"1", ""}))
                .isEqualTo(Labels.of("a", "1"));
    }

    private static Map<String, String> randomMap(Random random) {
        List<String> pool = new ArrayList<>(List.of("Namespace", "Service", "code", "instance", "job", "le", "pod"));
        Collections.shuffle(pool, random);
        TreeMap<String, String> map = new TreeMap<>();
        int n = random.nextInt(pool.size() + 1);
        for (int i = 0; i < n; i++) {
            map.put(pool.get(i), Integer.toString(random.nextInt(3) + 1));
        }
        return map;
    }

    private static List<String> names(Labels labels) {
        List<String> names = new ArrayList<>();
        labels.forEach((name, value) -> names.add(name));
        return names;
    }
}
