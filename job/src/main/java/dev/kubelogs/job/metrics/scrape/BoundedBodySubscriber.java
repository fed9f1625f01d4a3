package dev.kubelogs.job.metrics.scrape;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into one array, and gives up (cancelling the exchange, so the connection is closed) as soon
 * as it grows past a limit — a 10 GB body must not be read to find out it is too large.
 */
final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<BoundedBodySubscriber.Bytes> {
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
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(size + (long) n, 2L * buffer.length)));
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
