package dev.kubelogs.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static String trimmed(String v) {
        return v.substring(0, EventJson.mergeLogTrimmedLength(v));
    }

    @Test
    void mergeLogTrimIsFluentBitsValueTrimSize() {
        assertThat(trimmed("done\n")).isEqualTo("done");
        assertThat(trimmed("done\n\n")).isEqualTo("done");
        // the escapes backslash-n and backslash-r, as two characters, go too
        assertThat(trimmed("done\\n")).isEqualTo("done");
        assertThat(trimmed("done\\r\\n\n")).isEqualTo("done");
        // a bare carriage return stops the trim, as does anything else
        assertThat(trimmed("done\r\n")).isEqualTo("done\r");
        assertThat(trimmed("done\r")).isEqualTo("done\r");
        assertThat(trimmed("done \n")).isEqualTo("done ");
        // the first character is never looked at
        assertThat(trimmed("\n")).isEqualTo("\n");
        assertThat(trimmed("\n\n")).isEqualTo("\n");
        assertThat(trimmed("")).isEmpty();
        assertThat(trimmed("x\u2028\n")).isEqualTo("x\u2028");
    }

    @Test
    void logProcessedValuesAreTrimmedAtTheTopLevelOnly() {
        assertThat(EventJson.mergeLog("{\"msg\":\"a\\n\",\"cr\":\"b\\r\\n\",\"n\":1,\"o\":{\"inner\":\"c\\n\"}}\n")
                        .toString())
                .isEqualTo("{\"msg\":\"a\",\"cr\":\"b\\r\",\"n\":1,\"o\":{\"inner\":\"c\\n\"}}");
    }
}
