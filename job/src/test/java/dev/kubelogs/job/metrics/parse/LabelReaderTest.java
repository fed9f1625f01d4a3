package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LabelReaderTest {
    static Labels read(boolean openMetrics, String labelSet) throws ExpositionParseException {
        byte[] b = (labelSet + " 1\n").getBytes(StandardCharsets.UTF_8);
        ByteCursor c = new ByteCursor(b, b.length);
        Labels labels = new LabelReader(openMetrics, new NameStrings()).read(c);
        assertThat(c.pos).as("after the closing brace").isEqualTo(labelSet.getBytes(StandardCharsets.UTF_8).length);
        return labels;
    }

    static String failure(boolean openMetrics, String labelSet) {
        try {
            read(openMetrics, labelSet);
        } catch (ExpositionParseException e) {
            return e.reason();
        }
        throw new AssertionError("accepted: " + labelSet);
    }

    @Test
    void escapesAsPrometheusUnescapesThem() throws Exception {
        assertThat(read(false, "{a=\"x\\\\y\",b=\"q\\\"q\",c=\"l1\\nl2\",d=\"\\t\\\\n\"}"))
                .isEqualTo(Labels.of("a", "x\\y", "b", "q\"q", "c", "l1\nl2", "d", "\\t\\n"));
        assertThat(read(true, "{a=\"é\\\"\"}")).isEqualTo(Labels.of("a", "é\""));
    }

    @Test
    void textFormatAllowsBlanksMissingCommasRawNewlinesAndATrailingComma() throws Exception {
        assertThat(read(false, "{ a = \"1\" b=\"2\",\tc=\"x\ny\", }"))
                .isEqualTo(Labels.of("a", "1", "b", "2", "c", "x\ny"));
        assertThat(read(false, "{}")).isSameAs(Labels.EMPTY);
    }

    @Test
    void openMetricsAllowsOnlyTheStrictForm() throws Exception {
        assertThat(read(true, "{a=\"1\",b=\"2\",}")).isEqualTo(Labels.of("a", "1", "b", "2"));
        assertThat(failure(true, "{a=\"1\" b=\"2\"}")).isEqualTo("expected ',' or '}' after label value");
        assertThat(failure(true, "{ a=\"1\"}")).isEqualTo("expected label name");
        assertThat(failure(true, "{a=\"x\ny\"}")).isEqualTo("newline in label value");
    }

    @Test
    void aBackslashBeforeALineBreakFailsInBothFormats() {
        // promlex: an escape is a backslash and any byte except '\n'; a raw '\n' alone is accepted (test above)
        assertThat(failure(false, "{a=\"x\\\ny\"}")).isEqualTo("line break after a backslash in label value");
        assertThat(failure(true, "{a=\"x\\\ny\"}")).isEqualTo("newline in label value");
    }

    @Test
    void emptyValuesAreNoLabels() throws Exception {
        assertThat(read(false, "{a=\"\",b=\"1\"}")).isEqualTo(Labels.of("b", "1"));
    }

    @Test
    void theNamesGivenAnEmptyValueAreKeptWithTheSetAlsoFromTheCache() throws Exception {
        LabelReader reader = new LabelReader(false, new NameStrings());
        byte[] b = "{job=\"\",a=\"1\",instance=\"\"} {a=\"1\"} {job=\"\",a=\"1\",instance=\"\"}"
                .getBytes(StandardCharsets.UTF_8);
        ByteCursor c = new ByteCursor(b, b.length);
        assertThat(reader.read(c)).isEqualTo(Labels.of("a", "1"));
        assertThat(reader.emptyNames()).containsExactly("job", "instance");
        c.pos++;
        reader.read(c);
        assertThat(reader.emptyNames()).isEmpty();
        c.pos++;
        reader.read(c);
        assertThat(reader.emptyNames()).containsExactly("job", "instance");
    }

    @Test
    void malformedSetsFail() {
        assertThat(failure(false, "{a=\"1\",,b=\"2\"}")).isEqualTo("expected label name");
        assertThat(failure(false, "{,a=\"1\"}")).isEqualTo("expected label name");
        assertThat(failure(false, "{a:b=\"1\"}")).isEqualTo("expected '=' after label name");
        assertThat(failure(false, "{a=1}")).isEqualTo("expected quoted label value");
        assertThat(failure(false, "{a=\"1}")).isEqualTo("label value not closed");
        assertThat(failure(false, "{a=\"1\"")).isEqualTo("expected label name");
        byte[] cut = "{a=\"1\",".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new LabelReader(false, new NameStrings()).read(new ByteCursor(cut, cut.length)))
                .isInstanceOfSatisfying(
                        ExpositionParseException.class,
                        e -> assertThat(e.reason()).isEqualTo("label set not closed"));
        assertThat(failure(false, "{\"quoted.name\"=\"1\"}")).isEqualTo("expected label name");
    }

    @Test
    void repeatedNamesAndNameLabelFail() {
        assertThat(failure(false, "{a=\"1\",a=\"\"}")).isEqualTo("label name \"a\" given twice");
        assertThat(failure(false, "{__name__=\"x\"}")).isEqualTo("label __name__ repeats the metric name");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            many.append("l").append(i).append("=\"v\",");
        }
        many.append("l7=\"again\"}");
        assertThat(failure(false, many.toString())).isEqualTo("label name \"l7\" given twice");
    }

    @Test
    void invalidUtf8Fails() {
        byte[] b = {'{', 'a', '=', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}', ' ', '1'};
        ByteCursor c = new ByteCursor(b, b.length);
        assertThatThrownBy(() -> new LabelReader(false, new NameStrings()).read(c))
                .isInstanceOf(ExpositionParseException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void skipChecksAnExemplarsLabelsWithoutBuildingThem() throws Exception {
        byte[] b = "{trace_id=\"abc\"} 1".getBytes(StandardCharsets.UTF_8);
        ByteCursor c = new ByteCursor(b, b.length);
        new LabelReader(true, new NameStrings()).skip(c);
        assertThat(c.pos).isEqualTo(16);
    }
}
