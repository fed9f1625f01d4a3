package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.TlsConfig;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The scrape's fetch as it was on the JDK's {@code HttpClient} (its tasks inline on its selector thread,
 * {@code sendAsync} waited for with the deadline, the body collected by a bounded subscriber), kept as the reference
 * that {@link BodyFetcher} is compared with ({@code FetcherDifferentialTest}) and measured against.
 */
final class JdkBodyFetcher {
    private final long bodySizeLimit;
    private final boolean compression;

    /**
     * @param bodySizeLimit the largest body accepted, compressed and uncompressed
     * @param compression ask for gzip ({@code enable_compression}); without it Prometheus asks for identity
     */
    JdkBodyFetcher(long bodySizeLimit, boolean compression) {
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
                .header("Accept", BodyFetcher.ACCEPT)
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

    static HttpClient client(TlsConfig tls) throws ScrapeFailure {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Runnable::run)
                .followRedirects(HttpClient.Redirect.NORMAL); // Prometheus' follow_redirects defaults to true
        if (!tls.equals(TlsConfig.NONE)) {
            try {
                SSLContext context = TlsContexts.create(tls);
                builder.sslContext(context);
                if (tls.serverName() != null) {
                    // the JDK keeps this SNI for targets addressed by IP (pods), it sends the URL's host otherwise
                    SSLParameters parameters = context.getDefaultSSLParameters();
                    parameters.setServerNames(List.of(HttpClients.serverNameIndication(tls.serverName())));
                    builder.sslParameters(parameters);
                }
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new ScrapeFailure(ScrapeReason.TLS_ERROR, "tls_config: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    static final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<BoundedBodySubscriber.Bytes> {
        private final long limit;
        private final boolean announcedTooLarge;
        private final CompletableFuture<Bytes> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private byte[] buffer;
        private int size;

        BoundedBodySubscriber(long limit, long contentLength) {
            this.limit = limit;
            this.announcedTooLarge = contentLength > limit;
            this.buffer = announcedTooLarge
                    ? new byte[0]
                    : new byte[(int) Math.max(8192, Math.min(contentLength, Math.min(limit, 1 << 24)))];
        }

        /** The bytes received: the first {@code length} of {@code bytes}. */
        record Bytes(byte[] bytes, int length) {}

        /** The body is larger than the limit. */
        static final class TooLargeException extends IOException {
            private static final long serialVersionUID = 1L;

            TooLargeException(String message) {
                super(message);
            }
        }

        @Override
        public CompletionStage<Bytes> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (announcedTooLarge) {
                tooLarge();
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int n = item.remaining();
                if (size + (long) n > limit) {
                    tooLarge();
                    return;
                }
                if (size + n > buffer.length) {
                    buffer =
                            Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(size + (long) n, 2L * buffer.length)));
                }
                item.get(buffer, size, n);
                size += n;
            }
            subscription.request(1);
        }

        private void tooLarge() {
            subscription.cancel();
            result.completeExceptionally(new TooLargeException("body larger than the limit of " + limit + " bytes"));
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(new Bytes(buffer, size));
        }
    }
}
