package dev.kubelogs.job.metrics.scrape;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;

/**
 * One HTTP GET of a target's metrics as Prometheus sends it (Accept, gzip, X-Prometheus-Scrape-Timeout-Seconds), with
 * the target's timeout as the deadline for the whole exchange — headers and body, so a target that drips its body
 * cannot hold a reader thread — and a limit on the body's size, compressed and uncompressed.
 */
final class BodyFetcher {
    /** Prometheus' header without the formats we do not parse (OpenMetrics 0.0.1, protobuf). */
    static final String ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final long bodySizeLimit;
    private final boolean compression;

    /**
     * @param bodySizeLimit the largest body accepted, compressed and uncompressed
     * @param compression ask for gzip ({@code enable_compression}); without it Prometheus asks for identity
     */
    BodyFetcher(long bodySizeLimit, boolean compression) {
        this.bodySizeLimit = bodySizeLimit;
        this.compression = compression;
    }

    /**
     * @param uri the target's URL, or where it was looked up to ({@link RequestAddress})
     * @param timeoutMs the target's scrape timeout
     * @param authorization the Authorization header's value, or null
     */
    RawBody fetch(HttpClient client, URI uri, long timeoutMs, String authorization)
            throws ScrapeFailure, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Accept", ACCEPT)
                .header("Accept-Encoding", compression ? "gzip" : "identity")
                .header("User-Agent", "kubelogs")
                .header("X-Prometheus-Scrape-Timeout-Seconds", seconds(timeoutMs))
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        AtomicBoolean responseStarted = new AtomicBoolean();
        CompletableFuture<HttpResponse<BoundedBodySubscriber.Bytes>> exchange =
                client.sendAsync(request.build(), info -> {
                    responseStarted.set(true);
                    if (info.statusCode() != 200) {
                        return unread();
                    }
                    long length =
                            info.headers().firstValueAsLong("Content-Length").orElse(-1L);
                    return new BoundedBodySubscriber(bodySizeLimit, length);
                });
        HttpResponse<BoundedBodySubscriber.Bytes> response;
        try {
            response = exchange.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new ScrapeFailure(ScrapeReason.TIMEOUT, "no complete response within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw classify(e.getCause(), responseStarted.get());
        }
        if (response.statusCode() != 200) {
            throw new ScrapeFailure(
                    ScrapeReason.HTTP_STATUS,
                    response.statusCode(),
                    "server returned HTTP status " + response.statusCode(),
                    null);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        BoundedBodySubscriber.Bytes body = response.body();
        boolean gzip = response.headers()
                .firstValue("Content-Encoding")
                .map(v -> v.trim().toLowerCase(Locale.ROOT).equals("gzip"))
                .orElse(false);
        if (!gzip) {
            return new RawBody(body.bytes(), body.length(), contentType);
        }
        return gunzip(body, contentType);
    }

    private RawBody gunzip(BoundedBodySubscriber.Bytes body, String contentType) throws ScrapeFailure {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body.bytes(), 0, body.length()))) {
            byte[] out = new byte[(int) Math.min(bodySizeLimit, Math.max(8192L, 4L * body.length()))];
            int size = 0;
            while (true) {
                if (size == out.length) {
                    if (size >= bodySizeLimit) {
                        if (in.read() < 0) {
                            break;
                        }
                        throw new ScrapeFailure(
                                ScrapeReason.BODY_TOO_LARGE,
                                "uncompressed body larger than the limit of " + bodySizeLimit + " bytes");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(bodySizeLimit, 2L * out.length));
                }
                int n = in.read(out, size, out.length - size);
                if (n < 0) {
                    break;
                }
                size += n;
            }
            return new RawBody(out, size, contentType);
        } catch (ZipException | java.io.EOFException e) {
            throw new ScrapeFailure(ScrapeReason.PARSE_ERROR, "bad gzip body: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ScrapeFailure(ScrapeReason.IO_ERROR, "reading the gzip body: " + e.getMessage(), e);
        }
    }

    /**
     * The body of a response whose status failed the scrape: not read, the exchange ends with its head (closing the
     * connection), so that a slow or endless error body cannot turn the status Prometheus reports into a timeout.
     */
    private static HttpResponse.BodySubscriber<BoundedBodySubscriber.Bytes> unread() {
        return new HttpResponse.BodySubscriber<>() {
            @Override
            public CompletionStage<BoundedBodySubscriber.Bytes> getBody() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {}

            @Override
            public void onError(Throwable throwable) {}

            @Override
            public void onComplete() {}
        };
    }

    /** The counted reason of an exchange that failed; {@code responseStarted}: the status line had arrived. */
    static ScrapeFailure classify(Throwable error, boolean responseStarted) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BoundedBodySubscriber.TooLargeException) {
                return new ScrapeFailure(ScrapeReason.BODY_TOO_LARGE, t.getMessage(), error);
            }
            if (t instanceof HttpTimeoutException) {
                return new ScrapeFailure(ScrapeReason.TIMEOUT, String.valueOf(t.getMessage()), error);
            }
            if (t instanceof SSLException || t instanceof GeneralSecurityException) {
                return new ScrapeFailure(ScrapeReason.TLS_ERROR, describe(t), error);
            }
            if (t instanceof ConnectException) {
                return new ScrapeFailure(ScrapeReason.CONNECT_REFUSED, "connection refused", error);
            }
        }
        if (responseStarted) {
            return new ScrapeFailure(
                    ScrapeReason.TARGET_GONE, "connection lost while reading the body: " + describe(error), error);
        }
        return new ScrapeFailure(ScrapeReason.IO_ERROR, describe(error), error);
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
