package dev.kubelogs.job.parse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of the job: keeps key order, writes compact JSON like Fluent Bit. */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            // Fluent Bit writes non-ASCII as UTF-8, not as \\u escapes
            .disable(JsonGenerator.Feature.ESCAPE_NON_ASCII)
            // "{...} trailing text" is not a JSON object (Merge_Log, Docker lines)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * For Docker lines the strict mapper refuses: control characters such as NUL may stand unescaped in strings,
     * as Fluent Bit's JSON tokenizer lets them (they are written escaped again).
     */
    public static final ObjectMapper LENIENT = JsonMapper.builder()
            .disable(JsonGenerator.Feature.ESCAPE_NON_ASCII)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .build();
}
