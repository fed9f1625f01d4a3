package dev.kubelogs.job.metrics.scrape;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * Sends a request once more when its connection ended before any response came: a kept-alive connection the target
 * closed while idle, as Go's transport retries a request on a reused connection. Never a response (a 503 is the
 * scrape's status), a refused connection, a timeout or a TLS failure.
 */
final class ClosedIdleConnectionRetry implements HttpRequestRetryStrategy {
    @Override
    public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        return execCount <= 1
                && (exception instanceof NoHttpResponseException
                        || (exception instanceof SocketException && !(exception instanceof ConnectException)));
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false;
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
        return TimeValue.ZERO_MILLISECONDS;
    }
}
