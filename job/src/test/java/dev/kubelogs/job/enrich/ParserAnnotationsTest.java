package dev.kubelogs.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.parse.LogParser;
import dev.kubelogs.job.parse.Parsers;
import dev.kubelogs.job.parse.ParsersFile;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which parser each stream of a container gets, as kube_property.c flb_kube_prop_set decides. */
class ParserAnnotationsTest {
    private static final Parsers PARSERS = Parsers.of(ParsersFile.parse("[PARSER]\nName json\nFormat json\n"
            + "[PARSER]\nName syslog\nFormat regex\nRegex ^(?<host>\\S+) (?<message>.*)$\n"));
    private static final LogParser JSON = PARSERS.get("json");
    private static final LogParser SYSLOG = PARSERS.get("syslog");

    private static ParserAnnotations.Chosen choose(String container, String... keysAndValues) {
        Map<String, String> annotations = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            annotations.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return ParserAnnotations.choose(annotations, container, PARSERS);
    }

    @Test
    void theUnifiedAnnotationSetsBothStreams() {
        ParserAnnotations.Chosen c = choose("app", "fluentbit.io/parser", "json");
        assertThat(c.stdout()).isSameAs(JSON);
        assertThat(c.stderr()).isSameAs(JSON);
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void aStreamAnnotationSetsItsStreamOnly() {
        ParserAnnotations.Chosen c = choose("app", "fluentbit.io/parser_stderr", "syslog");
        assertThat(c.stdout()).isNull();
        assertThat(c.stderr()).isSameAs(SYSLOG);
    }

    @Test
    void amongAnnotationsWithoutAContainerTheFirstInKeyOrderWins() {
        // given out of order: the kubelet's JSON sorts them, parser before parser_stderr
        ParserAnnotations.Chosen c =
                choose("app", "fluentbit.io/parser_stderr", "syslog", "fluentbit.io/parser", "json");
        assertThat(c.stdout()).isSameAs(JSON);
        assertThat(c.stderr()).isSameAs(JSON);
    }

    @Test
    void aContainersOwnAnnotationWins() {
        ParserAnnotations.Chosen app =
                choose("app", "fluentbit.io/parser", "syslog", "fluentbit.io/parser_stdout-app", "json");
        assertThat(app.stdout()).isSameAs(JSON);
        assertThat(app.stderr()).isSameAs(SYSLOG);
        ParserAnnotations.Chosen web =
                choose("web", "fluentbit.io/parser", "syslog", "fluentbit.io/parser_stdout-app", "json");
        assertThat(web.stdout()).isSameAs(SYSLOG);
        assertThat(web.stderr()).isSameAs(SYSLOG);
        // between two of the container's own, the later in key order wins ('-' sorts before '_')
        ParserAnnotations.Chosen both =
                choose("app", "fluentbit.io/parser_stdout-app", "syslog", "fluentbit.io/parser-app", "json");
        assertThat(both.stdout()).isSameAs(SYSLOG);
        assertThat(both.stderr()).isSameAs(JSON);
    }

    @Test
    void theContainerPartMatchesAsAPrefixOfTheContainerName() {
        // strncmp(container, meta->container_name, container_len)
        assertThat(choose("app-sidecar", "fluentbit.io/parser-app", "json").stdout())
                .isSameAs(JSON);
        assertThat(choose("ap", "fluentbit.io/parser-app", "json").stdout()).isNull();
    }

    @Test
    void anUndefinedParserChangesNothingAndIsReported() {
        ParserAnnotations.Chosen c = choose("app", "fluentbit.io/parser", "nope", "fluentbit.io/parser_stdout", "json");
        assertThat(c.stdout()).isSameAs(JSON);
        assertThat(c.stderr()).isNull();
        assertThat(c.unknownParser()).isTrue();
        assertThat(c.warnings()).containsExactly("annotation parser 'nope' not found (container_name='app')");
        // another container's undefined parser is not looked up
        assertThat(choose("web", "fluentbit.io/parser-app", "nope")).isSameAs(ParserAnnotations.Chosen.NONE);
    }

    @Test
    void excludeIsNotAllowedAndMalformedKeysAreWarnings() {
        ParserAnnotations.Chosen c = choose(
                "app",
                "fluentbit.io/exclude",
                "true",
                "fluentbit.io/parser_stdin",
                "json",
                "fluentbit.io/parser-",
                "json",
                "fluentbit.io/parserx",
                "json",
                "fluentbit.io/other",
                "x",
                "fluentbit.io/",
                "json",
                "kubelogs.dev/multiline",
                "java");
        assertThat(c.stdout()).isNull();
        assertThat(c.stderr()).isNull();
        assertThat(c.unknownParser()).isFalse();
        assertThat(c.warnings())
                .containsExactly(
                        "annotation 'fluentbit.io/exclude' not allowed (K8S-Logging.Exclude Off)",
                        "unknown annotation 'fluentbit.io/other'",
                        "invalid container in annotation 'fluentbit.io/parser-'",
                        "invalid stream in annotation 'fluentbit.io/parser_stdin'",
                        "invalid annotation 'fluentbit.io/parserx'");
    }

    @Test
    void aRecordTakesTheParserOfItsStream() {
        ParserAnnotations.Chosen c =
                choose("app", "fluentbit.io/parser_stdout", "json", "fluentbit.io/parser_stderr", "syslog");
        assertThat(c.forRecord(record("stream", "stdout"))).isSameAs(JSON);
        assertThat(c.forRecord(record("stream", "stderr"))).isSameAs(SYSLOG);
        // get_stream compares over the value's length
        assertThat(c.forRecord(record("stream", "std"))).isSameAs(JSON);
        // no stream (a raw line), or another one: the default merge
        assertThat(c.forRecord(record("other", "stdout"))).isNull();
        assertThat(c.forRecord(record("stream", "console"))).isNull();
        // with the same parser named for both streams too: each stream holds its own copy of the name
        assertThat(choose("app", "fluentbit.io/parser", "json").forRecord(record("other", "x")))
                .isNull();
    }

    private static LineRecord record(String key, String value) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("time", "2024-05-14T09:12:03.1Z");
        r.put(key, value);
        r.put("log", "x");
        return LineRecord.of(r);
    }
}
