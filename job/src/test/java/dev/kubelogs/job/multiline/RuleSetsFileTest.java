package dev.kubelogs.job.multiline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetsFileTest {
    private static final String START = "{\"from\":\"start_state\",\"regex\":\"^\\\\d{4}-\",\"to\":\"cont\"}";
    private static final String CONT = "{\"from\":\"cont\",\"regex\":\"^\\\\s\",\"to\":\"cont\"}";

    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        return Files.writeString(dir.resolve("rules.json"), json);
    }

    @Test
    void readsSelectorsAndRules() throws IOException {
        Path f = file("[{\"name\":\"dated\",\"namespace\":\"shop\",\"pod\":\"orders-*\",\"rules\":[" + START + ","
                + CONT + "]}]");
        List<SelectedRuleSet> sets = RuleSetsFile.read(f);
        assertThat(sets).hasSize(1);
        SelectedRuleSet s = sets.get(0);
        assertThat(s.selects("shop", "orders-7d9", "orders")).isTrue();
        assertThat(s.selects("web", "orders-7d9", "orders")).isFalse();
        assertThat(s.ruleSet().start("2024-05-14 x")).isEqualTo("cont");
        assertThat(s.ruleSet().continueFrom("cont", "  more")).isEqualTo("cont");
        assertThat(s.ruleSet().continueFrom("cont", "2024-05-15 y")).isNull();
        // a user's rules run within the step budget
        assertThat(s.ruleSet().rules()).allMatch(RuleSet.Rule::bounded);
    }

    @Test
    void anEntryWithoutRulesSelectsTheBuiltInSetOfItsName() throws IOException {
        List<SelectedRuleSet> sets = RuleSetsFile.read(
                file("[{\"name\":\"ruby\",\"namespace\":\"rails\"},{\"name\":\"ruby\",\"namespace\":\"shop\"}]"));
        assertThat(sets)
                .extracting(SelectedRuleSet::ruleSet)
                .containsExactly(BuiltInRuleSets.RUBY, BuiltInRuleSets.RUBY);
        assertThat(sets.get(0).selects("rails", "web-1", "puma")).isTrue();
        assertThat(sets.get(0).selects("shop", "web-1", "puma")).isFalse();
        assertThat(sets.get(1).selects("shop", "web-1", "puma")).isTrue();
    }

    @Test
    void badFilesAreClearErrors() throws IOException {
        Path noStart = file("[{\"name\":\"x\",\"rules\":[" + CONT + "]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(noStart)).hasMessageContaining("no rule from start_state");
        Path badRegex = file("[{\"name\":\"x\",\"rules\":[{\"from\":\"start_state\",\"regex\":\"(\","
                + "\"to\":\"start_state\"}]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(badRegex)).hasMessageContaining("[0].rules[0].regex: bad regex");
        Path notArray = file("{}");
        assertThatThrownBy(() -> RuleSetsFile.read(notArray)).hasMessageContaining("JSON array");
    }

    @Test
    void aFileThatIsNotJsonIsAnErrorNamingTheFileAndThePosition() throws IOException {
        Path f = file("[{\"name\": \"x\",\n  rules: []}]");
        assertThatThrownBy(() -> RuleSetsFile.read(f))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(f + ": ")
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("(line 2, column 3)");
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> RuleSetsFile.read(missing))
                .isInstanceOf(IOException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void unknownKeysAreErrorsNamingTheKeyAndWhereItIs() throws IOException {
        Path inSet = file("[{\"name\":\"x\",\"nmespace\":\"shop\",\"rules\":[" + START + "," + CONT + "]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(inSet))
                .hasMessageStartingWith(inSet + ": [0].nmespace: unknown key \"nmespace\"")
                .hasMessageContaining("namespace");
        Path inRule = file("[{\"name\":\"x\",\"rules\":[{\"from\":\"start_state\",\"regexp\":\"a\","
                + "\"to\":\"start_state\"}]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(inRule))
                .hasMessageStartingWith(inRule + ": [0].rules[0].regexp: unknown key \"regexp\"");
    }

    @Test
    void valuesOfTheWrongTypeAreErrorsNamingTheirPath() throws IOException {
        Path number = file("[{\"name\":\"x\",\"namespace\":5,\"rules\":[" + START + "," + CONT + "]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(number))
                .hasMessageStartingWith(number + ": [0].namespace: wrong type, expected a string");
        Path object = file("[{\"name\":\"x\",\"rules\":{}}]");
        assertThatThrownBy(() -> RuleSetsFile.read(object))
                .hasMessageStartingWith(object + ": [0].rules: wrong type, expected an array");
        Path duplicate = file("[{\"name\":\"x\",\"name\":\"y\",\"rules\":[" + START + "," + CONT + "]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(duplicate)).hasMessageContaining("Duplicate field 'name'");
    }

    @Test
    void aRuleGoingToAStateNoRuleLeavesIsAnError() throws IOException {
        Path f = file(
                "[{\"name\":\"x\",\"rules\":[" + START + ",{\"from\":\"cont\",\"regex\":\"a\",\"to\":\"nowhere\"}]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(f))
                .hasMessageStartingWith(f + ": [0].rules[1].to: unknown state 'nowhere'");
    }

    @Test
    void namesMustBeUniqueAndNotShadowABuiltInSet() throws IOException {
        String set = "{\"name\":\"x\",\"rules\":[" + START + "," + CONT + "]}";
        Path twice = file("[" + set + "," + set + "]");
        assertThatThrownBy(() -> RuleSetsFile.read(twice))
                .hasMessageContaining("[1].name: a second rule set named 'x'");
        Path java = file("[{\"name\":\"java\",\"rules\":[" + START + "," + CONT + "]}]");
        assertThatThrownBy(() -> RuleSetsFile.read(java))
                .hasMessageContaining("[0].rules: 'java' is a built-in rule set");
        Path noRules = file("[{\"name\":\"mine\"}]");
        assertThatThrownBy(() -> RuleSetsFile.read(noRules)).hasMessageContaining("[0].rules: missing");
    }
}
