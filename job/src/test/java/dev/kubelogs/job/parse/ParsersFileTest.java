package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParsersFileTest {

    @Test
    void readsClassicParserSectionsWithKeysInAnyCase() {
        List<LogParser> parsers = ParsersFile.parse("# my parsers\n"
                + "[PARSER]\n"
                + "    Name   nginx_error\n"
                + "    FORMAT regex\n"
                + "    regex  ^(?<time>\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}) \\[(?<level>\\w+)\\] (?<message>.*)$\n"
                + "    time_key time\n"
                + "    Time_Format %Y/%m/%d %H:%M:%S\n"
                + "\n"
                + "[parser]\n"
                + "    Name json_ts\n"
                + "    Format json\n");
        assertThat(parsers).extracting(LogParser::name).containsExactly("nginx_error", "json_ts");
        LogParser.Parsed p = parsers.get(0).parse("2024/05/14 09:12:03 [error] 7#7: open() failed", 0);
        assertThat(p.fields().toString()).isEqualTo("{\"level\":\"error\",\"message\":\"7#7: open() failed\"}");
    }

    @Test
    void anEmptyValueIsNoValue() {
        LogParser p =
                ParsersFile.parse("[PARSER]\nName x\nFormat json\nTime_Key\n").get(0);
        assertThat(p.parse("{\"time\":\"a\"}", 0).fields().toString()).isEqualTo("{\"time\":\"a\"}");
    }

    @Test
    void whatIsNotImplementedIsAnErrorNamingIt() {
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName x\nFormat json\nDecode_Field json log\n"))
                .hasMessageContaining("key Decode_Field is not supported");
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName x\nFormat json\nTime_System_Timezone On\n"))
                .hasMessageContaining("Time_System_Timezone");
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName x\nFormat logfmt\n"))
                .hasMessageContaining("Format logfmt is not supported");
        assertThatThrownBy(() -> ParsersFile.parse("[MULTILINE_PARSER]\nName x\n"))
                .hasMessageContaining("[MULTILINE_PARSER] is not supported");
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName x\nFormat json\nTime_Strict Off\n"))
                .hasMessageContaining("Time_Strict Off");
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName x\nFormat json\nTime_Keep maybe\n"))
                .hasMessageContaining("time_keep 'maybe'");
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName ${NAME}\nFormat json\n"))
                .hasMessageContaining("${...}");
        assertThatThrownBy(() -> ParsersFile.parse("@INCLUDE more.conf\n")).hasMessageContaining("@INCLUDE");
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName x\nName y\nFormat json\n"))
                .hasMessageContaining("repeated");
        assertThatThrownBy(() -> ParsersFile.parse("Name x\n")).hasMessageContaining("outside a [PARSER]");
    }

    @Test
    void missingNameFormatOrRegexAndABadRegexAreErrors() {
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nFormat json\n")).hasMessageContaining("no Name");
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName x\n")).hasMessageContaining("no Format");
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName x\nFormat regex\n"))
                .hasMessageContaining("(x): no Regex");
        assertThatThrownBy(() -> ParsersFile.parse("[PARSER]\nName x\nFormat regex\nRegex ^[[:alpha:]]+(?<a>.)$\n"))
                .hasMessageContaining("(x): regex uses POSIX");
    }

    @Test
    void typesAreReadAsProcTypesStrReadsThem() {
        assertThat(ParsersFile.types("a:integer b:FLOAT c:hex d:bool e:other f a:string"))
                .containsEntry("a", LogParser.FieldType.INTEGER)
                .containsEntry("b", LogParser.FieldType.FLOAT)
                .containsEntry("c", LogParser.FieldType.HEX)
                .containsEntry("d", LogParser.FieldType.BOOL)
                .containsEntry("e", LogParser.FieldType.STRING)
                .doesNotContainKey("f");
    }

    @Test
    void aFileNamesItselfInItsErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("parsers.conf");
        Files.writeString(file, "[PARSER]\nName x\nFormat ltsv\n");
        assertThatThrownBy(() -> ParsersFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": [PARSER] at line 1 (x): Format ltsv");
        assertThatThrownBy(() -> ParsersFile.read(dir.resolve("missing.conf")))
                .hasMessage(dir.resolve("missing.conf") + ": no such file");
    }
}
