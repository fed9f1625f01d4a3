package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OnigmoPatternTest {

    private static OnigmoPattern shipped(String name) {
        return Parsers.containerInsights().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .map(p -> OnigmoPattern.compile(regexOf(name)))
                .orElseThrow();
    }

    /** The Regex line of a parser in the shipped parsers.conf, as Fluent Bit hands it to Onigmo. */
    private static String regexOf(String name) {
        String conf =
                new String(readResource("container-insights-parsers.conf"), java.nio.charset.StandardCharsets.UTF_8);
        String section = conf.substring(conf.indexOf("Name                " + name));
        String line = section.substring(section.indexOf("Regex"));
        return line.substring("Regex".length(), line.indexOf('\n')).strip();
    }

    private static byte[] readResource(String name) {
        try (var in = Parsers.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theSyslogRegexReadsARealMessagesLine() {
        OnigmoPattern syslog = shipped("syslog");
        assertThat(syslog.names()).containsExactly("time", "host", "ident", "pid", "message");
        assertThat(syslog.search("May 14 09:12:03 ip-192-168-12-34 kubelet[3366]: I0514 09:12:03.123456 3366 "
                        + "kubelet.go:2457] \"SyncLoop ADD\" source=\"api\""))
                .containsExactly(
                        "May 14 09:12:03",
                        "ip-192-168-12-34",
                        "kubelet",
                        "3366",
                        "I0514 09:12:03.123456 3366 kubelet.go:2457] \"SyncLoop ADD\" source=\"api\"");
        // a one-digit day is padded with a second space; no pid: the group takes no part and reads as empty
        assertThat(syslog.search("Dec  4 07:01:02 ip-10-0-0-1 systemd: Started Session 42 of user root."))
                .containsExactly("Dec  4 07:01:02", "ip-10-0-0-1", "systemd", "", "Started Session 42 of user root.");
    }

    @Test
    void theContainerFirstlineRegexReadsADockerJsonFileLine() {
        OnigmoPattern firstline = shipped("container_firstline");
        assertThat(firstline.names()).containsExactly("log", "stream", "time");
        String line = "{\"log\":\"Started OrdersApplication in 4.2 seconds \\\"ok\\\"\\n\",\"stream\":\"stdout\","
                + "\"time\":\"2024-05-14T09:12:03.123456789Z\"}";
        // the log stops at the first quote no backslash escapes; \w takes the Z of the time
        assertThat(firstline.search(line))
                .containsExactly(
                        "Started OrdersApplication in 4.2 seconds \\\"ok\\\"\\n",
                        "stdout",
                        "2024-05-14T09:12:03.123456789Z");
        // a continuation line (leading blank) does not start a record; an escaped tab does, its backslash being \S
        String frame = "{\"log\":\"    at com.example.Orders.create(Orders.java:42)\\n\",\"stream\":\"stderr\","
                + "\"time\":\"2024-05-14T09:12:03.2Z\"}";
        assertThat(firstline.search(frame)).isNull();
        assertThat(firstline.search(frame.replace("    at", "\\tat"))).isNotNull();
    }

    @Test
    void theCwagentFirstlineRegexWantsADateFirst() {
        OnigmoPattern cwagent = shipped("cwagent_firstline");
        String line = "{\"log\":\"2024-05-14T09:12:03Z I! Starting AmazonCloudWatchAgent CWAgent/1.300032.2\\n\","
                + "\"stream\":\"stderr\",\"time\":\"2024-05-14T09:12:03.5Z\"}";
        assertThat(cwagent.search(line))
                .containsExactly(
                        "2024-05-14T09:12:03Z I! Starting AmazonCloudWatchAgent CWAgent/1.300032.2\\n",
                        "stderr",
                        "2024-05-14T09:12:03.5Z");
        assertThat(cwagent.search(line.replace("2024-05-14T09:12:03Z I!", "I!")))
                .isNull();
    }

    @Test
    void groupNamesWithUnderscoresAreRenamedAndReportedInTheirOrder() {
        OnigmoPattern cri = OnigmoPattern.compile("^(?<time>.+?) (?<stream>stdout|stderr) (?<_p>F|P) (?<log>.*)$");
        assertThat(cri.names()).containsExactly("time", "stream", "_p", "log");
        assertThat(cri.javaPattern()).isEqualTo("^(?<g1>.+?) (?<g2>stdout|stderr) (?<g3>F|P) (?<g4>.*)$");
        assertThat(cri.search("2024-05-14T09:12:03.1Z stdout F hello"))
                .containsExactly("2024-05-14T09:12:03.1Z", "stdout", "F", "hello");
    }

    @Test
    void caretAndDollarAreLineAnchorsAndOnlyNewlineEndsALine() {
        OnigmoPattern p = OnigmoPattern.compile("^(?<level>ERROR) (?<msg>.*)$");
        // onig_search finds the match on a later line; . stops at \n but not at \r
        assertThat(p.search("INFO start\nERROR disk full\r\nINFO end")).containsExactly("ERROR", "disk full\r");
    }

    @Test
    void rubySpellingsBecomeJavas() {
        assertThat(OnigmoPattern.compile("(?<hex>\\h+)").javaPattern()).isEqualTo("(?<g1>[0-9a-fA-F]+)");
        assertThat(OnigmoPattern.compile("(?<v>[\\h-]+)").javaPattern()).isEqualTo("(?<g1>[0-9a-fA-F-]+)");
        assertThat(OnigmoPattern.compile("(?<v>a{,3})").javaPattern()).isEqualTo("(?<g1>a{0,3})");
        assertThat(OnigmoPattern.compile("(?<v>a{x})").javaPattern()).isEqualTo("(?<g1>a\\{x})");
        assertThat(OnigmoPattern.compile("(?m)(?<v>a.b)").javaPattern()).isEqualTo("(?s)(?<g1>a.b)");
        assertThat(OnigmoPattern.compile("(?<v>(a|b)+)(?#note)").javaPattern()).isEqualTo("(?<g1>(?:a|b)+)");
        assertThat(OnigmoPattern.compile("(?<q>['\"])(?<v>.*?)\\k<q>").search("x 'it' y"))
                .containsExactly("'", "it");
        assertThat(OnigmoPattern.compile("(?<v>\\h+)").search("x=DEADbeef!")).containsExactly("DEADbeef");
        assertThat(OnigmoPattern.compile("(?<v>\\v)").search("a\u000Bb")).containsExactly("\u000B");
        assertThat(OnigmoPattern.compile("(?<v>\\v)").search("a\nb")).isNull();
    }

    @Test
    void slashFormTakesOptionsAsCheckOptionDoes() {
        // /.../i: ignore case over Unicode; /.../m: dot matches newline
        assertThat(OnigmoPattern.compile("/(?<v>ÉTÉ)/i").search("été")).containsExactly("été");
        assertThat(OnigmoPattern.compile("/(?<v>a.b)/m").search("a\nb")).containsExactly("a\nb");
        assertThat(OnigmoPattern.compile("/(?<v>a.b)/").search("a\nb")).isNull();
        // a path is no option list: the pattern is taken whole
        assertThat(OnigmoPattern.compile("/var/log/(?<file>.*)").search("/var/log/messages"))
                .containsExactly("messages");
    }

    @Test
    void whatJavaCannotDoIsAnErrorNamingIt() {
        assertThatThrownBy(() -> OnigmoPattern.compile("(?<v>[[:alpha:]]+)")).hasMessageContaining("POSIX");
        assertThatThrownBy(() -> OnigmoPattern.compile("(?<v>a\\Kb)")).hasMessageContaining("\\K");
        assertThatThrownBy(() -> OnigmoPattern.compile("(?<v>a)\\1")).hasMessageContaining("numbered");
        assertThatThrownBy(() -> OnigmoPattern.compile("(?<v>a)(?<v>b)")).hasMessageContaining("'v' twice");
        assertThatThrownBy(() -> OnigmoPattern.compile("^(a|b)$")).hasMessageContaining("no named group");
        assertThatThrownBy(() -> OnigmoPattern.compile("(?<v>(?~abc))")).hasMessageContaining("absent");
        assertThatThrownBy(() -> OnigmoPattern.compile("(?<v>[a-")).hasMessageContaining("unterminated");
    }

    @Test
    void aGroupOutsideTheMatchReadsEmpty() {
        assertThat(OnigmoPattern.compile("(?<a>x)?(?<b>y)").search("y")).isEqualTo(List.of("", "y"));
    }
}
