package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParsersTest {

    @Test
    void theDefaultsAreContainerInsightsParsersConf() {
        assertThat(Parsers.defaults().all())
                .extracting(LogParser::name)
                .containsExactly("syslog", "container_firstline", "cwagent_firstline");
        assertThat(Parsers.defaults().get("json")).isNull();
    }

    @Test
    void aUserFileTakesThePlaceOfTheDefaults() {
        Parsers parsers = Parsers.of(ParsersFile.parse("[PARSER]\nName json\nFormat json\n"));
        assertThat(parsers.get("json")).isNotNull();
        assertThat(parsers.get("syslog")).isNull();
    }

    @Test
    void aNameDefinedTwiceIsAnError() {
        List<LogParser> twice =
                ParsersFile.parse("[PARSER]\nName json\nFormat json\n[PARSER]\nName json\nFormat json\n");
        assertThatThrownBy(() -> Parsers.of(twice)).hasMessageContaining("'json' is defined twice");
    }
}
