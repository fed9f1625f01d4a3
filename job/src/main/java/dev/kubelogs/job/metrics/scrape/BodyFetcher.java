package dev.kubelogs.job.metrics.scrape;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.message.BasicHeader;

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

    /** The headers of the last timeout asked for: a job's targets share one, so they are made once. */
    private volatile FixedHeaders fixedHeaders;

    private record FixedHeaders(long timeoutMs, Header[] headers) {}

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
    RawBody fetch(ScrapeHttpClient client, URI uri, long timeoutMs, String authorization)
            throws ScrapeFailure, InterruptedException {
        HttpGet request = new HttpGet(uri);
        request.setHeaders(headers(timeoutMs)); // copied into the request's own list
        if (authorization != null) {
            request.setHeader("Authorization", authorization);
        }
        AtomicBoolean pastDeadline = new AtomicBoolean();
        ClassicHttpResponse response = null;
        boolean readToTheEnd = false;
        client.began();
        DeadlineTimer.Deadline deadline = client.atDeadline(timeoutMs, () -> {
            pastDeadline.set(true);
            request.cancel(); // closes the connection: a blocked read or connect ends at once
        });
        try {
            response = client.open(request);
            if (response.getCode() != 200) {
                throw new ScrapeFailure(
                        ScrapeReason.HTTP_STATUS,
                        response.getCode(),
                        "server returned HTTP status " + response.getCode(),
                        null);
            }
            Header type = response.getFirstHeader("Content-Type");
            String contentType = type == null ? "" : type.getValue();
            HttpEntity entity = response.getEntity();
            RawBody body = entity == null ? new RawBody(new byte[0], 0, contentType) : read(entity, contentType);
            readToTheEnd = true; // and so the connection is back in the pool
            Header encoding = response.getFirstHeader("Content-Encoding");
            boolean gzip = encoding != null
                    && encoding.getValue().trim().toLowerCase(Locale.ROOT).equals("gzip");
            return gzip ? gunzip(body, contentType) : body;
        } catch (IOException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted during the scrape of " + uri);
            }
            if (pastDeadline.get()) {
                throw new ScrapeFailure(ScrapeReason.TIMEOUT, "no complete response within " + timeoutMs + " ms");
            }
            throw classify(e, response != null);
        } finally {
            deadline.cancel();
            if (!readToTheEnd) {
                // closes the connection: closing the response alone would read the rest of its body
                request.cancel();
            }
            closeQuietly(response);
            client.ended();
        }
    }

    /** Accept, Accept-Encoding, User-Agent and X-Prometheus-Scrape-Timeout-Seconds, in that order. */
    private Header[] headers(long timeoutMs) {
        FixedHeaders fixed = fixedHeaders;
        if (fixed == null || fixed.timeoutMs != timeoutMs) {
            fixed = new FixedHeaders(timeoutMs, new Header[] {
                new BasicHeader("Accept", ACCEPT),
                new BasicHeader("Accept-Encoding", compression ? "gzip" : "identity"),
                new BasicHeader("User-Agent", "kubelogs"),
                new BasicHeader("X-Prometheus-Scrape-Timeout-Seconds", seconds(timeoutMs))
            });
            fixedHeaders = fixed;
        }
        return fixed.headers;
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response == null) {
            return;
        }
        try {
            response.close();
        } catch (IOException alreadyBroken) {
            // the exchange failed or was cancelled; its connection is closed either way
        }
    }

    /** The body, read as it comes and given up as soon as it grows past the limit. */
    private RawBody read(HttpEntity entity, String contentType) throws IOException, ScrapeFailure {
        long length = entity.getContentLength();
        if (length > bodySizeLimit) {
            throw tooLarge();
        }
        byte[] buffer = new byte[(int) Math.max(8192, Math.min(length, Math.min(bodySizeLimit, 1 << 24)))];
        int size = 0;
        InputStream in = entity.getContent();
        while (true) {
            if (size == buffer.length) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                if (size >= bodySizeLimit) {
                    throw tooLarge();
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(bodySizeLimit, 2L * buffer.length));
                buffer[size++] = (byte) next;
            }
            int n = in.read(buffer, size, buffer.length - size);
            if (n < 0) {
                break;
            }
            size += n;
        }
        return new RawBody(buffer, size, contentType);
    }

    private ScrapeFailure tooLarge() {
        return new ScrapeFailure(
                ScrapeReason.BODY_TOO_LARGE, "body larger than the limit of " + bodySizeLimit + " bytes");
    }

    private RawBody gunzip(RawBody body, String contentType) throws ScrapeFailure {
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

    /** The counted reason of an exchange that failed; {@code responseStarted}: the status line had arrived. */
    static ScrapeFailure classify(Throwable error, boolean responseStarted) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException) { // a socket's or connect's timeout
                return new ScrapeFailure(ScrapeReason.TIMEOUT, describe(t), error);
            }
            if (t instanceof SSLException || t instanceof GeneralSecurityException) {
                return new ScrapeFailure(ScrapeReason.TLS_ERROR, describe(t), error);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
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
