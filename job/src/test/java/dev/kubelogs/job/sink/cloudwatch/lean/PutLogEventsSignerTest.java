package dev.kubelogs.job.sink.cloudwatch.lean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClientBuilder;

class PutLogEventsSignerTest {
    private static final AwsCredentialsProvider KEYS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENGEXAMPLEKEY"));
    private static final AwsCredentialsProvider SESSION = StaticCredentialsProvider.create(
            AwsSessionCredentials.create("ASIAEXAMPLE", "secret/EXAMPLE", "session-token-EXAMPLE"));
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** What the SDK client sends, signed, taken before transmission (the call never leaves the JVM). */
    private static final class Captured extends RuntimeException {
        final SdkHttpRequest request;

        Captured(SdkHttpRequest request) {
            super("captured", null, false, false);
            this.request = request;
        }
    }

    private static SdkHttpRequest sdkSigned(
            AwsCredentialsProvider credentials, String region, String endpointOverride, PutLogEventsBody body) {
        CloudWatchLogsAsyncClientBuilder b = CloudWatchLogsAsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new PutLogEventsBody.Interceptor())
                        .addExecutionInterceptor(new ExecutionInterceptor() {
                            @Override
                            public void beforeTransmission(
                                    Context.BeforeTransmission context, ExecutionAttributes attributes) {
                                throw new Captured(context.httpRequest());
                            }
                        }));
        if (endpointOverride != null) {
            b.endpointOverride(URI.create(endpointOverride));
        }
        try (CloudWatchLogsAsyncClient sdk = b.build()) {
            sdk.putLogEvents(body.request()).join();
            throw new AssertionError("the capture did not stop the call");
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            while (c != null && !(c instanceof Captured)) {
                c = c.getCause();
            }
            assertThat(c).as("captured request").isNotNull();
            return ((Captured) c).request;
        }
    }

    private static PutLogEventsBody body() {
        List<SinkEvent> events = List.of(
                new SinkEvent(1_700_000_000_000L, "{\"log\":\"a \\\"quoted\\\" line\\n\"}", "s", 0),
                new SinkEvent(1_700_000_000_001L, "plain ünïcode line", "s", 1));
        return PutLogEventsBody.of("/aws/containerinsights/c/application", "node-1.app", events, List.of(0, 1));
    }

    private static Clock clockOf(SdkHttpRequest signed) {
        String date = signed.firstMatchingHeader("X-Amz-Date").orElseThrow();
        return Clock.fixed(Instant.from(AMZ_DATE.parse(date)), ZoneOffset.UTC);
    }

    @Test
    void signsTheSdkClientsRequestToTheSameSignature() {
        for (AwsCredentialsProvider credentials : List.of(KEYS, SESSION)) {
            for (String override : new String[] {null, "http://127.0.0.1:4566"}) {
                PutLogEventsBody body = body();
                SdkHttpRequest sdk = sdkSigned(credentials, "eu-west-1", override, body);
                SdkHttpRequest unsignedSdk = sdk.toBuilder()
                        .removeHeader("Authorization")
                        .removeHeader("X-Amz-Date")
                        .removeHeader("X-Amz-Security-Token")
                        .build();
                PutLogEventsSigner signer = new PutLogEventsSigner(
                        credentials, "eu-west-1", PutLogEventsSigner.endpoint("eu-west-1", override), clockOf(sdk));

                SdkHttpRequest ours = signer.sign(unsignedSdk, body.buffer(), body.length());

                assertThat(ours.firstMatchingHeader("Authorization"))
                        .as("credentials %s, endpoint %s", credentials, override)
                        .isEqualTo(sdk.firstMatchingHeader("Authorization"));
                assertThat(ours.firstMatchingHeader("X-Amz-Security-Token"))
                        .isEqualTo(sdk.firstMatchingHeader("X-Amz-Security-Token"));
            }
        }
    }

    @Test
    void writesTheRequestTheSdkClientWritesLessItsOwnBookkeepingHeaders() {
        for (String override : new String[] {null, "http://127.0.0.1:4566"}) {
            PutLogEventsBody body = body();
            SdkHttpRequest sdk = sdkSigned(KEYS, "eu-west-1", override, body);
            PutLogEventsSigner signer = new PutLogEventsSigner(
                    KEYS, "eu-west-1", PutLogEventsSigner.endpoint("eu-west-1", override), clockOf(sdk));

            SdkHttpRequest ours = signer.sign(body.buffer(), body.length());

            assertThat(ours.getUri()).isEqualTo(sdk.getUri());
            assertThat(ours.method()).isEqualTo(sdk.method());
            for (String h : List.of("Host", "Content-Type", "X-Amz-Target", "Content-Length", "X-Amz-Date")) {
                assertThat(ours.firstMatchingHeader(h)).as(h).isEqualTo(sdk.firstMatchingHeader(h));
            }
            // the SDK also signs its invocation id and attempt headers; without them the signed headers are a subset
            String sdkSigned = signedHeaders(sdk);
            for (String h : signedHeaders(ours).split(";")) {
                assertThat(sdkSigned.split(";")).contains(h);
            }
        }
    }

    @Test
    void theSignatureCoversTheBodyBytes() {
        PutLogEventsBody body = body();
        PutLogEventsSigner signer = new PutLogEventsSigner(
                KEYS, "eu-west-1", URI.create("https://logs.eu-west-1.amazonaws.com"), Clock.systemUTC());
        Clock fixed = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
        PutLogEventsSigner atFixed = new PutLogEventsSigner(KEYS, "eu-west-1", signer.endpoint(), fixed);
        String whole = atFixed.sign(body.buffer(), body.length())
                .firstMatchingHeader("Authorization")
                .orElseThrow();
        String shorter = atFixed.sign(body.buffer(), body.length() - 1)
                .firstMatchingHeader("Authorization")
                .orElseThrow();
        assertThat(whole).isNotEqualTo(shorter);
    }

    @Test
    void resolvesTheSdksEndpoints() {
        assertThat(PutLogEventsSigner.endpoint("eu-west-1", null))
                .isEqualTo(URI.create("https://logs.eu-west-1.amazonaws.com"));
        assertThat(PutLogEventsSigner.endpoint("cn-north-1", null))
                .isEqualTo(URI.create("https://logs.cn-north-1.amazonaws.com.cn"));
        assertThat(PutLogEventsSigner.endpoint("us-east-1", "http://127.0.0.1:4566"))
                .isEqualTo(URI.create("http://127.0.0.1:4566"));
        assertThatThrownBy(() -> PutLogEventsSigner.endpoint("us-east-1", "not a url"))
                .isInstanceOf(RuntimeException.class);
    }

    private static String signedHeaders(SdkHttpRequest r) {
        String auth = r.firstMatchingHeader("Authorization").orElseThrow();
        int at = auth.indexOf("SignedHeaders=") + "SignedHeaders=".length();
        return auth.substring(at, auth.indexOf(',', at));
    }
}
