package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
 * {@link #events(String, String)}) and fault injection ({@link #faults()}). This class owns the lifecycle: the
 * store, the server and its threads; {@link RequestHandler} answers the requests.
 */
public final class LocalCloudWatchLogs implements AutoCloseable {
    /** Account id used in ARNs. */
    public static final String ACCOUNT_ID = "000000000000";
    /** Region used in ARNs when a request carries no SigV4 credential scope. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final System.Logger LOG = System.getLogger(LocalCloudWatchLogs.class.getName());

    static {
        // The JDK server writes response headers and body in separate segments; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK (~40 ms per call). The JDK reads this property once, when its
        // first HttpServer is created; an explicit setting by the user is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final LogStore store;
    private final Faults faults;
    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private final URI endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalCloudWatchLogs(Builder b) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        store = new LogStore(b.clock, b.dataDir, mapper, b.listener, b.keepEventsFor.toMillis());
        Operations operations = new Operations(store, mapper);
        faults = new Faults(operations.names());
        RequestBodyReader bodies = new RequestBodyReader(b.maxBodyBytes);
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
        server.createContext(
                "/",
                new RequestHandler(
                        mapper,
                        operations,
                        faults,
                        new AdminApi(mapper, faults, store, bodies),
                        bodies,
                        workers,
                        timer));
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
     * @throws IllegalStateException when the endpoint forgot some of them ({@link Builder#keepEventsFor})
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
        private StoredEventListener listener;
        private java.time.Duration keepEventsFor = java.time.Duration.ZERO;

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
         * Hands every event a PutLogEvents stores to {@code listener} as it is stored (default: none). With
         * {@link #keepEventsFor} a long load test can check every event without the endpoint keeping them.
         */
        public Builder eventListener(StoredEventListener listener) {
            this.listener = java.util.Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Forgets each stored event this long after its ingestion (default: zero, kept for ever). The streams keep
         * their ownership, counts, sizes and timestamps, and PutLogEvents its rules and answers; a GetLogEvents or
         * FilterLogEvents that may reach a forgotten event fails with InvalidParameterException rather than answer
         * without it, and so does {@link LocalCloudWatchLogs#events(String, String)}. For an in-memory endpoint only: {@link #start()}
         * refuses it with a data directory.
         */
        public Builder keepEventsFor(java.time.Duration keepEventsFor) {
            if (keepEventsFor.isNegative() || keepEventsFor.isZero()) {
                throw new IllegalArgumentException("keepEventsFor must be positive: " + keepEventsFor);
            }
            this.keepEventsFor = keepEventsFor;
            return this;
        }

        /**
         * Binds and starts the endpoint.
         *
         * @throws UncheckedIOException when the port cannot be bound or the data directory cannot be read
         * @throws IllegalStateException when another endpoint uses the data directory
         * @throws IllegalArgumentException when events are to be forgotten but a data directory keeps them
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
