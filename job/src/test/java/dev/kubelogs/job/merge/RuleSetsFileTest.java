package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetsFileTest {
    @TempDir
    Path dir;

    @Test
    void readsSelectorsAndRules() throws IOException {
        Path f = Files.writeString(dir.resolve("rules.json"), "[{\"name\":\"dated\",\"namespace\":\"shop\",\"pod\":\"orders-*\","
                + "\"rules\":[{\"from\":\"start_state\",\"regex\":\"^\\\\d{4}-\",\"to\":\"cont\"},{\"from\":\"cont\",\"regex\":\"^\\\\s\",\"to\":\"cont\"}]}]");
        List<SelectedRuleSet> sets = RuleSetsFile.read(f);
        assertThat(sets).hasSize(1);
        SelectedRuleSet s = sets.get(0);
        assertThat(s.selects("shop", "orders-7d9", "orders")).isTrue();
        assertThat(s.selects("web", "orders-7d9", "orders")).isFalse();
        assertThat(s.ruleSet().start("2024-05-14 x")).isEqualTo("cont");
        assertThat(s.ruleSet().continueFrom("cont", "  more")).isEqualTo("cont");
        assertThat(s.ruleSet().continueFrom("cont", "2024-05-15 y")).isNull();
    }

    @Test
    void badFilesAreClearErrors() throws IOException {
        Path noStart = Files.writeString(dir.resolve("a.json"), "[{\"name\":\"x\",\"rules\":[{\"from\":\"cont\",\"regex\":\"a\",\"to\":\"cont\"}]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(noStart)).hasMessageContaining("no rule from start_state");
        Path badRegex = Files.writeString(dir.resolve("b.json"), "[{\"name\":\"x\",\"rules\":[{\"from\":\"start_state\",\"regex\":\"(\",\"to\":\"c\"}]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(badRegex)).hasMessageContaining("bad regex");
        Path notArray = Files.writeString(dir.resolve("c.json"), "{}");
        assertThatThrownBy(() -> RuleSetsFile.read(notArray)).hasMessageContaining("JSON array");
    }
}
