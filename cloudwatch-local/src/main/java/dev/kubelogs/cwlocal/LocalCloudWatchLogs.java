package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A local CloudWatch Logs endpoint speaking the service's awsJson1.1 protocol ({@code POST /},
 * {@code X-Amz-Target: Logs_20140328.<Operation>}), for the unmodified AWS SDK with {@code endpointOverride},
 * any region and any credentials (signatures are not checked).
 *
 * <pre>{@code
 * try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.start(0, null)) {
 *     CloudWatchLogsClient client = CloudWatchLogsClient.builder().endpointOverride(cw.endpoint())...;
 * }
 * }</pre>
 *
 * Besides the API it serves a small admin API under {@code /_faults}, {@code /_stats} and {@code /_health}
 * (see the module README), and offers an in-process read API ({@link #logGroups()}, {@link #logStreams(String)},
 * {@link #events(String, String)}) and fault injection ({@link #faults()}).
 */
public final class LocalCloudWatchLogs implements AutoCloseable {
    /** Account id used in ARNs. */
    public static final String ACCOUNT_ID = "000000000000";
    /** Region used in ARNs when a request carries no SigV4 credential scope. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final System.Logger LOG = System.getLogger(LocalCloudWatchLogs.class.getName());
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

    static {
        // The JDK server writes response headers and body in separate segments; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK (~40 ms per call). The JDK reads this property once, when its
        // first HttpServer is created; an explicit setting by the user is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final LogStore store;
    private final Operations operations;
    private final Faults faults;
    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private final int maxBodyBytes;
    private final URI endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Request ids: unique per response without SecureRandom (UUID.randomUUID contends under load). */
    private final long requestIdHigh = UUID.randomUUID().getMostSignificantBits();

    private final AtomicLong requestIds = new AtomicLong();

    private LocalCloudWatchLogs(Builder b) throws IOException {
        store = new LogStore(b.clock, b.dataDir, mapper);
        operations = new Operations(store, mapper);
        faults = new Faults(operations.names());
        maxBodyBytes = b.maxBodyBytes;
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(b.bindAddress), b.port), 512);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        server = s;
        workers = new ThreadPoolExecutor(
                b.threads,
                b.threads,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                daemonThreads("cwlocal-http-"));
        workers.allowCoreThreadTimeOut(true);
        timer = new ScheduledThreadPoolExecutor(1, daemonThreads("cwlocal-timer-"));
        timer.setRemoveOnCancelPolicy(true);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        InetAddress bound = server.getAddress().getAddress();
        String host = bound.isAnyLocalAddress() ? "127.0.0.1" : bound.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        endpoint = URI.create("http://" + host + ":" + server.getAddress().getPort());
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "CloudWatch Logs endpoint on " + endpoint
                        + (store.dataDir() == null ? " (in memory)" : " data in " + store.dataDir()));
    }

    /**
     * Starts an endpoint on 127.0.0.1.
     *
     * @param port          TCP port, 0 for an ephemeral one
     * @param dataDirOrNull directory to persist to (created if missing, reloaded if present), or null for memory
     */
    public static LocalCloudWatchLogs start(int port, Path dataDirOrNull) {
        return builder().port(port).dataDir(dataDirOrNull).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URI for {@code endpointOverride}, e.g. {@code http://127.0.0.1:4566}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Faults faults() {
        return faults;
    }

    /** The clock that decides "now" for the too-old / too-new / retention rules and ingestion times. */
    public Clock clock() {
        return store.clock();
    }

    /** The data directory, empty when the endpoint keeps everything in memory. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(store.dataDir());
    }

    /** All log groups, sorted by name. */
    public List<LogGroupInfo> logGroups() {
        return store.groupInfos();
    }

    /**
     * The streams of a group, sorted by name.
     *
     * @throws NoSuchElementException when the group does not exist
     */
    public List<LogStreamInfo> logStreams(String logGroupName) {
        try {
            return store.streamInfos(logGroupName);
        } catch (ApiException e) {
            throw new NoSuchElementException(e.getMessage() + " (" + logGroupName + ")");
        }
    }

    /**
     * Every stored event of a stream in the service's order: by timestamp, ties in ingestion order.
     *
     * @throws NoSuchElementException when the group or the stream does not exist
     */
    public List<StoredEvent> events(String logGroupName, String logStreamName) {
        try {
            return store.events(logGroupName, logStreamName);
        } catch (ApiException e) {
            throw new NoSuchElementException(e.getMessage() + " (" + logGroupName + " / " + logStreamName + ")");
        }
    }

    /** Number of events stored in all groups. */
    public long eventCount() {
        long n = 0;
        for (LogGroupInfo g : logGroups()) {
            n += g.eventCount();
        }
        return n;
    }

    /**
     * Stops the server (open connections are closed, delayed responses are not sent) and closes the store.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ================================================================ HTTP

    private record Response(int status, byte[] body, String errorType) {}

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/_")) {
                admin(ex, path);
                return;
            }
            if (!path.equals("/")) {
                send(ex, error(new ApiException("UnknownOperationException", 404, "No such resource " + path)));
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                send(
                        ex,
                        error(new ApiException(
                                "UnknownOperationException",
                                405,
                                "Only POST is supported by the awsJson1.1 protocol")));
                return;
            }
            byte[] body = readBody(ex);
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String name = target != null && target.startsWith(Operations.TARGET_PREFIX)
                    ? target.substring(Operations.TARGET_PREFIX.length())
                    : null;
            Operations.Operation op = operations.get(name);
            if (op == null) {
                faults.countCall("UnknownOperation");
                send(ex, error(ApiException.unknownOperation(target)));
                return;
            }
            faults.countCall(name);
            Operations.Call call =
                    new Operations.Call(body, region(ex.getRequestHeaders().getFirst("Authorization")));
            long slow = faults.slowDelay(name);
            if (slow > 0) {
                timer.schedule(() -> runOnWorker(ex, () -> process(ex, name, op, call)), slow, TimeUnit.MILLISECONDS);
            } else {
                process(ex, name, op, call);
            }
        } catch (ApiException e) {
            send(ex, error(e));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "request aborted", e);
            ex.close();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "request failed", e);
            send(ex, error(ApiException.internal(String.valueOf(e))));
        }
    }

    private void process(HttpExchange ex, String name, Operations.Operation op, Operations.Call call) {
        Faults.Action before = faults.beforeProcessing(name);
        if (before != null) {
            switch (before.kind()) {
                case THROTTLE -> send(ex, error(ApiException.throttling()));
                case ERROR -> send(ex, error(new ApiException(before.errorType(), before.status(), before.message())));
                case HANG -> {} // never answered: the client's timeout (or stop()) closes the connection
                default -> send(ex, error(ApiException.serviceUnavailable(before.status())));
            }
            return;
        }
        Response response;
        try {
            response = new Response(200, op.apply(call), null);
        } catch (ApiException e) {
            response = error(e);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + " failed", e);
            response = error(ApiException.internal(name + " failed: " + e));
        }
        Faults.Action after = faults.afterProcessing(name);
        if (after == null) {
            send(ex, response);
        } else if (after.kind() == Faults.Kind.DROP_RESPONSE) {
            // no response headers were sent, so closing the exchange closes the connection
            ex.close();
        } else {
            Response delayed = response;
            timer.schedule(() -> runOnWorker(ex, () -> send(ex, delayed)), after.delayMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runOnWorker(HttpExchange ex, Runnable task) {
        try {
            workers.execute(task);
        } catch (RuntimeException e) { // shutting down
            ex.close();
        }
    }

    private byte[] readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException ignored) {
                // the server already rejected malformed lengths; nothing to check
            }
        }
        InputStream in = ex.getRequestBody();
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        return body;
    }

    private ApiException tooLarge() {
        return new ApiException("SerializationException", 413, "Request body larger than " + maxBodyBytes + " bytes");
    }

    /** The region of the SigV4 credential scope (Credential=AKID/date/region/service/aws4_request). */
    static String region(String authorization) {
        if (authorization == null) {
            return DEFAULT_REGION;
        }
        int i = authorization.indexOf("Credential=");
        if (i < 0) {
            return DEFAULT_REGION;
        }
        int end = authorization.indexOf(',', i);
        String[] scope = authorization
                .substring(i + "Credential=".length(), end < 0 ? authorization.length() : end)
                .trim()
                .split("/");
        return scope.length >= 5 && REGION.matcher(scope[2]).matches() ? scope[2] : DEFAULT_REGION;
    }

    private Response error(ApiException e) {
        ObjectNode n = mapper.createObjectNode();
        n.put("__type", e.type());
        n.put("message", e.getMessage());
        try {
            return new Response(e.status(), mapper.writeValueAsBytes(n), e.type());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    private void send(HttpExchange ex, Response r) {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", JSON_11);
            ex.getResponseHeaders()
                    .set("x-amzn-RequestId", new UUID(requestIdHigh, requestIds.incrementAndGet()).toString());
            if (r.errorType() != null) {
                ex.getResponseHeaders().set("X-Amzn-ErrorType", r.errorType());
            }
            ex.sendResponseHeaders(r.status(), r.body().length);
            ex.getResponseBody().write(r.body());
        } catch (IOException e) {
            // the client went away (e.g. it timed out before a delayed response)
            LOG.log(System.Logger.Level.DEBUG, "response not delivered", e);
        }
    }

    // ================================================================ admin API

    private void admin(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        try {
            switch (path) {
                case "/_health" -> sendJson(ex, 200, mapper.createObjectNode().put("status", "ok"));
                case "/_faults" -> {
                    switch (method) {
                        case "GET" -> sendJson(ex, 200, faultsJson());
                        case "POST" -> {
                            JsonNode req = mapper.readTree(readBody(ex));
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
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
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
        List<LogGroupInfo> groups = logGroups();
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

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ================================================================ builder

    /** Options of an endpoint; {@link #start()} binds and starts it. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private Clock clock = Clock.systemUTC();
        private String bindAddress = "127.0.0.1";
        private int threads = Math.max(16, 8 * Runtime.getRuntime().availableProcessors());
        private int maxBodyBytes = 16 << 20;

        private Builder() {}

        /** TCP port; 0 (the default) picks an ephemeral one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Directory to persist to; null (the default) keeps everything in memory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** "Now" for the PutLogEvents time rules and ingestion times (default: the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = java.util.Objects.requireNonNull(clock);
            return this;
        }

        /** Address to bind: "127.0.0.1" by default; "0.0.0.0" listens on every interface. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = java.util.Objects.requireNonNull(bindAddress);
            return this;
        }

        /** Worker threads handling requests (default max(16, 8 × cores)). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1");
            }
            this.threads = threads;
            return this;
        }

        /** Largest accepted request body (default 16 MiB; a full PutLogEvents is ~1.1 MB plus JSON escapes). */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be >= 1");
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * Binds and starts the endpoint.
         *
         * @throws UncheckedIOException when the port cannot be bound or the data directory cannot be read
         * @throws IllegalStateException when another endpoint uses the data directory
         */
        public LocalCloudWatchLogs start() {
            try {
                return new LocalCloudWatchLogs(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the local CloudWatch Logs endpoint", e);
            }
        }
    }
}
