package dev.kubelogs.job.parse;

import com.fasterxml.jackson.core.JsonGenerator;
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
}
