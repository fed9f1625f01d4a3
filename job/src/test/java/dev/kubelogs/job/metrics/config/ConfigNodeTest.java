package dev.kubelogs.job.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {

    @Test
    void remembersLinesAndPathsInYaml() throws Exception {
        ConfigNode root = yaml("a:\n  b:\n  - x: 1\n  - x: 2\n    y: [p, q]\n");
        ConfigNode second = root.get("a").get("b").list().get(1);
        assertThat(second.path()).isEqualTo("a.b[1]");
        assertThat(second.line()).isEqualTo(4);
        assertThat(second.get("y").line()).isEqualTo(5);
        assertThat(second.get("y").strings()).containsExactly("p", "q");
        assertThat(second.get("x").count(0)).isEqualTo(2);
        assertThat(second.get("missing").path()).isEqualTo("a.b[1].missing");
        assertThat(second.get("missing").text("fallback")).isEqualTo("fallback");
    }

    @Test
    void remembersLinesInJson() throws Exception {
        ConfigNode root = ConfigNode.read(new JsonFactory().createParser("{\n\"a\": {\n\"b\": true}}"), "f.json");
        assertThat(root.get("a").get("b").line()).isEqualTo(3);
        assertThat(root.get("a").get("b").bool(false)).isTrue();
    }

    @Test
    void yamlBooleansTakeTheYaml11Words() throws Exception {
        ConfigNode root = yaml("a: yes\nb: Off\nc: TRUE\nd: N\ne: tRuE\n");
        assertThat(root.get("a").yamlBool(false)).isTrue();
        assertThat(root.get("b").yamlBool(true)).isFalse();
        assertThat(root.get("c").yamlBool(false)).isTrue();
        assertThat(root.get("d").yamlBool(true)).isFalse();
        assertThat(root.get("missing").yamlBool(true)).isTrue();
        assertThatThrownBy(() -> root.get("e").yamlBool(false)).hasMessageContaining("must be true or false");
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThatThrownBy(() -> yaml("a: 1\nb: 2\na: 3\n"))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessage("f.yaml:3: a: duplicate key");
    }

    @Test
    void wrongShapesAreErrors() throws Exception {
        ConfigNode root = yaml("m: {k: v}\nl: [1]\ns: text\n");
        assertThatThrownBy(() -> root.get("m").text(null)).hasMessage("f.yaml:1: m: must be a single value");
        assertThatThrownBy(() -> root.get("l").map()).hasMessage("f.yaml:2: l: must be a mapping");
        assertThatThrownBy(() -> root.get("s").list()).hasMessage("f.yaml:3: s: must be a list");
        assertThatThrownBy(() -> root.get("s").count(0)).hasMessageContaining("must be a non-negative whole number");
        assertThatThrownBy(() -> root.get("s").bool(false)).hasMessageContaining("must be true or false");
    }

    @Test
    void checkKeysSortsAcceptedWarnedRefusedAndUnknown() throws Exception {
        ConfigNode root = yaml("ok: 1\nwarn: 2\n");
        assertThat(root.checkKeys(Set.of("ok"), Set.of("warn"), Map.of()))
                .extracting(ConfigNode::path)
                .containsExactly("warn");
        assertThatThrownBy(() -> root.checkKeys(Set.of("ok"), Set.of(), Map.of("warn", "is refused")))
                .hasMessage("f.yaml:2: warn: is refused");
        assertThatThrownBy(() -> root.checkKeys(Set.of("ok"), Set.of(), Map.of()))
                .hasMessage("f.yaml:2: warn: unknown key");
    }

    @Test
    void anEmptyDocumentIsNull() throws Exception {
        assertThat(yaml("").isNull()).isTrue();
        assertThat(yaml("").get("x").list()).isEmpty();
    }

    private static ConfigNode yaml(String text) throws Exception {
        return ConfigNode.read(new YAMLFactory().createParser(text), "f.yaml");
    }
}
