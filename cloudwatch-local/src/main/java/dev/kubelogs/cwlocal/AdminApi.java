package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The admin API beside the service's: {@code /_health}, {@code /_faults} (GET lists, POST arms, DELETE clears the
 * injected faults) and {@code /_stats} (calls per operation, faults injected, store totals; DELETE resets the
 * counters). Plain JSON, errors as {@code {"error": ...}}; the module README documents it.
 */
final class AdminApi {
    private final ObjectMapper mapper;
    private final Faults faults;
    private final LogStore store;
    private final RequestBodyReader bodies;

    AdminApi(ObjectMapper mapper, Faults faults, LogStore store, RequestBodyReader bodies) {
        this.mapper = mapper;
        this.faults = faults;
        this.store = store;
        this.bodies = bodies;
    }

    void handle(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        try {
            switch (path) {
                case "/_health" -> sendJson(ex, 200, mapper.createObjectNode().put("status", "ok"));
                case "/_faults" -> {
                    switch (method) {
                        case "GET" -> sendJson(ex, 200, faultsJson());
                        case "POST" -> {
                            JsonNode req = mapper.readTree(bodies.read(ex));
                            if (req == null || !(req.isObject() || req.isArray())) {
                                throw new IllegalArgumentException("expected a fault object or an array of them");
                            }
                            for (JsonNode f : req.isArray() ? req : List.of(req)) {
                                armFault(f);
                            }
                            sendJson(ex, 200, faultsJson());
                        }
                        case "DELETE" -> {
                            faults.clear();
                            sendJson(ex, 200, faultsJson());
                        }
                        default -> sendJson(ex, 405, adminError("use GET, POST or DELETE"));
                    }
                }
                case "/_stats" -> {
                    switch (method) {
                        case "GET" -> sendJson(ex, 200, statsJson());
                        case "DELETE" -> {
                            faults.resetCounters();
                            sendJson(ex, 200, statsJson());
                        }
                        default -> sendJson(ex, 405, adminError("use GET or DELETE"));
                    }
                }
                default ->
                    sendJson(
                            ex,
                            404,
                            adminError("unknown admin path " + path + " (known: /_health, /_faults, /_stats)"));
            }
        } catch (IllegalArgumentException | JsonProcessingException e) {
            sendJson(ex, 400, adminError(e.getMessage()));
        } catch (ApiException e) {
            sendJson(ex, e.status(), adminError(e.getMessage()));
        }
    }

    private void armFault(JsonNode f) {
        String kind = f.path("fault").asText("");
        String op = f.hasNonNull("operation") ? f.get("operation").asText() : null;
        int count = f.path("count").asInt(1);
        switch (kind) {
            case "throttle" -> faults.throttle(op, count);
            case "unavailable" -> faults.unavailable(op, count, f.path("status").asInt(503));
            case "dropResponse" -> faults.dropResponses(op == null ? "PutLogEvents" : op, count);
            case "delayResponse" ->
                faults.delayResponses(op == null ? "PutLogEvents" : op, count, Duration.ofMillis(requiredMillis(f)));
            case "slow" -> faults.slow(op, Duration.ofMillis(requiredMillis(f)));
            case "accessDenied" -> faults.accessDenied(op, count);
            case "unrecognizedClient" -> faults.unrecognizedClient(op, count);
            case "error" ->
                faults.error(
                        op,
                        count,
                        f.path("status").asInt(400),
                        f.path("type").asText(null),
                        f.path("message").asText(""));
            case "hang" -> faults.hang(op, count);
            default ->
                throw new IllegalArgumentException("unknown fault '" + kind
                        + "' (throttle, unavailable, dropResponse, delayResponse, slow, accessDenied, "
                        + "unrecognizedClient, error, hang)");
        }
    }

    private static long requiredMillis(JsonNode f) {
        if (!f.path("delayMillis").canConvertToLong()) {
            throw new IllegalArgumentException("delayMillis is required");
        }
        return f.get("delayMillis").asLong();
    }

    private ObjectNode faultsJson() {
        ObjectNode n = mapper.createObjectNode();
        n.set("armed", mapper.valueToTree(faults.describe()));
        return n;
    }

    private ObjectNode statsJson() {
        ObjectNode n = mapper.createObjectNode();
        n.set("calls", mapper.valueToTree(faults.calls()));
        ObjectNode injected = n.putObject("faultsInjected");
        faults.injected().forEach((k, v) -> injected.put(k.name(), v));
        List<LogGroupInfo> groups = store.groupInfos();
        long streams = 0;
        long events = 0;
        long bytes = 0;
        for (LogGroupInfo g : groups) {
            streams += g.streamCount();
            events += g.eventCount();
            bytes += g.storedBytes();
        }
        n.put("logGroups", groups.size());
        n.put("logStreams", streams);
        n.put("events", events);
        n.put("storedBytes", bytes);
        return n;
    }

    private ObjectNode adminError(String message) {
        return mapper.createObjectNode().put("error", message);
    }

    private void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes =
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }
}
