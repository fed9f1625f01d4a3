package dev.kubelogs.bench;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.server.handler.HandlerWrapper;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible endpoint (S3Proxy over an in-memory jclouds store, as the collector's and the launcher's S3 tests
 * use) that records every HTTP request it serves: when, its S3 kind and the key (or the prefix a LIST asked for). The
 * count is taken at the server, so it is what S3 would bill, whatever the clients (the collectors' AWS SDK v2, the
 * job's S3 file system) do internally. S3Proxy has no hook for this, so its Jetty handler is wrapped before it starts
 * (a private field, read by reflection).
 */
public final class CountingS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "bench-access";
    public static final String SECRET_KEY = "bench-secret";

    /** How S3 prices a request (S3 Standard, 2025 list prices, us-east-1 and eu-west-1 alike). */
    public enum Kind {
        PUT(0.005),
        POST(0.005),
        LIST(0.005),
        GET(0.0004),
        HEAD(0.0004),
        /** DELETE and multi-object delete: free. */
        DELETE(0);

        /** Dollars per 1,000 requests. */
        public final double dollarsPer1000;

        Kind(double dollarsPer1000) {
            this.dollarsPer1000 = dollarsPer1000;
        }
    }

    /**
     * One request: wall-clock millis, its kind, the object key or LIST prefix (no bucket, no leading '/'), the HTTP
     * status it was answered with (S3 bills errors too), and the bytes a PUT carried (-1: not a PUT, or not known).
     */
    public record Served(long millis, Kind kind, String key, int status, long bytes) {
        public Served(long millis, Kind kind, String key, int status) {
            this(millis, kind, key, status, -1);
        }
    }

    private final BlobStoreContext blobs;
    private final S3Proxy proxy;
    private final ConcurrentLinkedQueue<Served> served = new ConcurrentLinkedQueue<>();

    public CountingS3(String bucket) throws Exception {
        blobs = ContextBuilder.newBuilder("transient")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, bucket);
        proxy = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        Server server = jettyServer(proxy);
        HandlerWrapper counting = new HandlerWrapper() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException, ServletException {
                long millis = System.currentTimeMillis();
                try {
                    super.handle(target, base, request, response);
                } finally {
                    Served s = classify(millis, request.getMethod(), request.getRequestURI(), request.getQueryString());
                    served.add(new Served(s.millis(), s.kind(), s.key(), response.getStatus(), putBytes(s, request)));
                }
            }
        };
        counting.setHandler(server.getHandler());
        server.setHandler(counting);
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 30 s");
            }
            Thread.onSpinWait();
        }
    }

    private static Server jettyServer(S3Proxy proxy) throws ReflectiveOperationException {
        Field f = S3Proxy.class.getDeclaredField("server");
        f.setAccessible(true);
        return (Server) f.get(proxy);
    }

    /** The object bytes a PUT carried: the signed chunked upload's decoded length, else the body's length. */
    private static long putBytes(Served s, HttpServletRequest request) {
        if (s.kind() != Kind.PUT) {
            return -1;
        }
        String decoded = request.getHeader("x-amz-decoded-content-length");
        return decoded != null ? Long.parseLong(decoded) : request.getContentLengthLong();
    }

    /** The kind of a path-style request and the key it names (the {@code prefix} parameter for a LIST). */
    static Served classify(long millis, String method, String uri, String query) {
        String path = uri.startsWith("/") ? uri.substring(1) : uri;
        int slash = path.indexOf('/');
        String key = slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1), StandardCharsets.UTF_8);
        String q = query == null ? "" : query;
        Kind kind = switch (method.toUpperCase(Locale.ROOT)) {
            case "PUT" -> Kind.PUT;
            case "HEAD" -> Kind.HEAD;
            case "DELETE" -> Kind.DELETE;
            case "POST" -> hasParameter(q, "delete") ? Kind.DELETE : Kind.POST;
            default -> key.isEmpty() ? Kind.LIST : Kind.GET;
        };
        if (kind == Kind.LIST) {
            key = parameter(q, "prefix");
        }
        return new Served(millis, kind, key, 0);
    }

    private static boolean hasParameter(String query, String name) {
        for (String p : query.split("&")) {
            if (p.equals(name) || p.startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }

    private static String parameter(String query, String name) {
        for (String p : query.split("&")) {
            if (p.startsWith(name + "=")) {
                return URLDecoder.decode(p.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** Requests served from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive). */
    public List<Served> served(long fromMillis, long toMillis) {
        List<Served> out = new ArrayList<>();
        for (Served s : served) {
            if (s.millis() >= fromMillis && s.millis() < toMillis) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            blobs.close();
        }
    }
}
