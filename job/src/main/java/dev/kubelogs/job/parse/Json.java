package dev.kubelogs.job.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson mapper of the job: keeps key order, writes compact JSON with Fluent Bit's string escapes
 * ({@link FluentBitEscapes}: non-ASCII as lower-case \\u escapes, as its default json.escape_unicode does).
 */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = JsonMapper.builder(fluentBitEscapes())
            // "{...} trailing text" is not a JSON object (Merge_Log, Docker lines)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * For Docker lines the strict mapper refuses: control characters such as NUL may stand unescaped in strings,
     * as Fluent Bit's JSON tokenizer lets them (they are written escaped again).
     */
    public static final ObjectMapper LENIENT = JsonMapper.builder(fluentBitEscapes())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .build();

    private static JsonFactory fluentBitEscapes() {
        return new JsonFactoryBuilder()
                .characterEscapes(new FluentBitEscapes())
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .build();
    }
}
