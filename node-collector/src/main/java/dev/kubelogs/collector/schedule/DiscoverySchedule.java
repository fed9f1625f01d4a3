package dev.kubelogs.collector.schedule;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The job's {@code discovery-schedule.json}: when its next checkpoint-aligned spool discovery runs (wall-clock epoch
 * ms) and how often such discoveries follow, so that a collector can roll its open segment just before one. Points
 * continue both ways: {@code nextMillis + j * periodMillis} for every integer j.
 *
 * @param version 1; a collector ignores any other version
 * @param publishedMillis when the job wrote it
 * @param nextMillis the next aligned discovery, or null when the job knows none (collectors then roll by age)
 * @param periodMillis the time between aligned discoveries
 * @param validMillis trusted until {@code publishedMillis + validMillis}
 */
public record DiscoverySchedule(
        long version, long publishedMillis, Long nextMillis, long periodMillis, long validMillis) {

    /** The object's name at the spool root (S3: under SPOOL_S3_URI's prefix; directory spool: in SPOOL_DIR). */
    public static final String FILE_NAME = "discovery-schedule.json";

    public static final long SUPPORTED_VERSION = 1;

    // jackson-core's streaming parser, as the collector's other JSON: databind's ObjectMapper is ~400 classes
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Parses the object; unknown fields are ignored. Only {@code version} is read from a version the collector does
     * not know (its other fields are left 0 and null); a version-1 object needs {@code publishedMillis},
     * {@code periodMillis} and {@code validMillis} as integers, and {@code nextMillis} as an integer or null
     * (missing counts as null).
     */
    public static DiscoverySchedule parse(byte[] json) throws IOException {
        Map<String, JsonToken> types = new HashMap<>();
        Map<String, Long> values = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "a discovery schedule is a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (FIELDS.contains(field)) {
                    types.put(field, value);
                    if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        values.put(field, p.getLongValue());
                    }
                }
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, "unexpected " + t + " in a discovery schedule");
            }
        }
        long version = integer("version", types, values);
        if (version != SUPPORTED_VERSION) {
            return new DiscoverySchedule(version, 0, null, 0, 0);
        }
        Long next = types.get("nextMillis") == null || types.get("nextMillis") == JsonToken.VALUE_NULL
                ? null
                : integer("nextMillis", types, values);
        return new DiscoverySchedule(
                version,
                integer("publishedMillis", types, values),
                next,
                integer("periodMillis", types, values),
                integer("validMillis", types, values));
    }

    private static final Set<String> FIELDS =
            Set.of("version", "publishedMillis", "nextMillis", "periodMillis", "validMillis");

    private static long integer(String field, Map<String, JsonToken> types, Map<String, Long> values)
            throws IOException {
        Long v = values.get(field);
        if (v == null) {
            JsonToken t = types.get(field);
            throw new IOException("discovery schedule: " + field + " must be an integer, not "
                    + (t == null ? "missing" : t.asString() == null ? t.name() : t.asString()));
        }
        return v;
    }

    /** Why the collector cannot roll by this schedule at {@code nowMillis}, or null when it can. */
    public String invalidAt(long nowMillis) {
        if (version != SUPPORTED_VERSION) {
            return "version " + version + " is not supported";
        }
        if (nextMillis == null) {
            return "the job knows no next aligned discovery";
        }
        if (periodMillis <= 0) {
            return "period " + periodMillis + " ms";
        }
        if (nowMillis > publishedMillis + validMillis) {
            return "expired " + (nowMillis - publishedMillis - validMillis) + " ms ago";
        }
        return null;
    }

    public boolean validAt(long nowMillis) {
        return invalidAt(nowMillis) == null;
    }

    /**
     * The latest roll point at or before {@code nowMillis}: {@code nextMillis + j * periodMillis - leadMillis} for
     * the largest such j. Only for a schedule with a next discovery and a positive period.
     */
    public long rollPointAtOrBefore(long nowMillis, long leadMillis) {
        long first = nextMillis - leadMillis;
        return first + Math.floorDiv(nowMillis - first, periodMillis) * periodMillis;
    }
}
