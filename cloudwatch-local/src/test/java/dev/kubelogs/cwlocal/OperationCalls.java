package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Operations called on request bodies, without HTTP: an in-memory store whose clock stands still at {@link #NOW}
 * and the JSON bodies the operations share.
 */
final class OperationCalls implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final long NOW_MS = NOW.toEpochMilli();

    final ObjectMapper mapper = new ObjectMapper();
    final LogStore store;
    final JsonBodies bodies = new JsonBodies(mapper);

    OperationCalls() throws Exception {
        store = new LogStore(new SettableClock(NOW), null, mapper);
    }

    /** Calls an operation as a client in the given region would, and returns the response as a tree. */
    JsonNode call(Operations.Operation op, String region, String body) throws Exception {
        byte[] out = op.apply(new Operations.Call(body.getBytes(StandardCharsets.UTF_8), region));
        return mapper.readTree(out);
    }

    JsonNode call(Operations.Operation op, String body) throws Exception {
        return call(op, "us-east-1", body);
    }

    /** The ApiException the call throws; fails the test when it throws nothing or something else. */
    static ApiException refused(ThrowingCall c) {
        try {
            c.run();
        } catch (ApiException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an ApiException", e);
        }
        throw new AssertionError("expected an ApiException");
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Override
    public void close() throws Exception {
        store.close();
    }
}
