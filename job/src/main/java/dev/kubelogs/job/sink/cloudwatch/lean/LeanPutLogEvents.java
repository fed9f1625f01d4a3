package dev.kubelogs.job.sink.cloudwatch.lean;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;

/**
 * PutLogEvents with a pre-written body, sent on an SDK HTTP client directly: one request signed by
 * {@link PutLogEventsSigner}, its answer read by {@link PutLogEventsAnswer}, in place of the SDK client's request
 * pipeline (which costs as much CPU per put as the body's bytes, and copies the body once more).
 *
 * <p>Failures are what the SDK client (retries off, a call timeout) reports for the same call, so the sink's classifier
 * sorts them alike: the service's exceptions; I/O failures as {@link SdkClientException} with the I/O cause; the call
 * timeout as {@link ApiCallTimeoutException}. An interrupt while waiting aborts the request, as cancelling the SDK
 * client's future does; so does {@link #close()} (the sink's close), for every put still waiting.
 */
public final class LeanPutLogEvents implements AutoCloseable {
    private final SdkAsyncHttpClient http;
    /** The puts waiting for their answer, ended by {@link #close()}. */
    private final Set<ResponseReader> waiting = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;
    private final PutLogEventsSigner signer;
    private final Duration callTimeout;

    LeanPutLogEvents(SdkAsyncHttpClient http, PutLogEventsSigner signer, Duration callTimeout) {
        this.http = http;
        this.signer = signer;
        this.callTimeout = callTimeout;
    }

    /**
     * Puts on {@code http} (not owned: its owner closes it) with the credentials, region and endpoint override (null:
     * the region's AWS endpoint) of the sink's SDK client.
     */
    public static LeanPutLogEvents create(
            SdkAsyncHttpClient http,
            AwsCredentialsProvider credentials,
            String region,
            String endpointOverride,
            Duration callTimeout) {
        return new LeanPutLogEvents(http, PutLogEventsSigner.of(credentials, region, endpointOverride), callTimeout);
    }

    /**
     * Puts the first {@code length} bytes of {@code body} (a PutLogEvents JSON body); the array must not change until
     * this returns.
     *
     * @throws ExecutionException with the failure as its cause, as the SDK client's future reports it
     */
    public PutLogEventsResponse put(byte[] body, int length) throws ExecutionException, InterruptedException {
        SdkHttpRequest request;
        try {
            request = signer.sign(body, length);
        } catch (SdkException e) { // no credentials, say
            throw new ExecutionException(e);
        }
        ResponseReader answer = new ResponseReader();
        waiting.add(answer);
        if (closed) { // after add: a close() that this does not see will see the put
            waiting.remove(answer);
            throw new ExecutionException(clientFailure(new IOException("the CloudWatch Logs client is closed")));
        }
        CompletableFuture<Void> call = http.execute(AsyncExecuteRequest.builder()
                .request(request)
                .requestContentPublisher(new BodyPublisher(body, length))
                .responseHandler(answer)
                .build());
        call.whenComplete((ok, failure) -> {
            if (failure != null) {
                answer.fail(failure);
            }
        });
        answer.result.whenComplete((a, failure) -> {
            if (failure != null) {
                call.cancel(true); // ended by close(): the request goes too
            }
        });
        try {
            Answer a = answer.result.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
            return PutLogEventsAnswer.read(a.response, a.content);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new ExecutionException(ApiCallTimeoutException.create(callTimeout.toMillis()));
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (SdkException e) { // the service's answer
            throw new ExecutionException(e);
        } finally {
            waiting.remove(answer);
        }
    }

    /**
     * Ends every put waiting for its answer with a failure the classifier reads as a lost connection (the put may have
     * been stored), and every later put at once. The HTTP client is its owner's to close.
     */
    @Override
    public void close() {
        closed = true;
        for (ResponseReader r : waiting) {
            r.fail(new IOException("the CloudWatch Logs client was closed while the call waited for its answer"));
        }
    }

    /** As the SDK's pipeline wraps a failure of its HTTP client. */
    static Throwable clientFailure(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof SdkException) {
            return c;
        }
        return SdkClientException.builder()
                .message("Unable to execute HTTP request: " + c.getMessage())
                .cause(c)
                .build();
    }

    private record Answer(SdkHttpResponse response, byte[] content) {}

    /** Collects the answer's headers and content. */
    private static final class ResponseReader implements SdkAsyncHttpResponseHandler {
        final CompletableFuture<Answer> result = new CompletableFuture<>();
        private volatile SdkHttpResponse response;

        void fail(Throwable t) {
            result.completeExceptionally(clientFailure(t));
        }

        @Override
        public void onHeaders(SdkHttpResponse headers) {
            this.response = headers;
        }

        @Override
        public void onStream(Publisher<ByteBuffer> stream) {
            stream.subscribe(new Subscriber<>() {
                private final ByteArrayOutputStream content = new ByteArrayOutputStream(256);

                @Override
                public void onSubscribe(Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(ByteBuffer b) {
                    if (b.hasArray()) {
                        content.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                    } else {
                        byte[] copy = new byte[b.remaining()];
                        b.duplicate().get(copy);
                        content.write(copy, 0, copy.length);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    fail(t);
                }

                @Override
                public void onComplete() {
                    result.complete(new Answer(response, content.toByteArray()));
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            fail(t);
        }
    }

    /** The body as one buffer over the caller's array (no copy). */
    private static final class BodyPublisher implements SdkHttpContentPublisher {
        private final byte[] body;
        private final int length;

        BodyPublisher(byte[] body, int length) {
            this.body = body;
            this.length = length;
        }

        @Override
        public Optional<Long> contentLength() {
            return Optional.of((long) length);
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> s) {
            AtomicBoolean sent = new AtomicBoolean();
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    if (n > 0 && sent.compareAndSet(false, true)) {
                        s.onNext(ByteBuffer.wrap(body, 0, length));
                        s.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    sent.set(true);
                }
            });
        }
    }
}
