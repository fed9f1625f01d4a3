package dev.kubelogs.job.sink.cloudwatch.lean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.AccessDeniedException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.DataAlreadyAcceptedException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidSequenceTokenException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.cloudwatchlogs.model.OperationAbortedException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ServiceUnavailableException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ThrottlingException;
import software.amazon.awssdk.services.cloudwatchlogs.model.UnrecognizedClientException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ValidationException;

/**
 * Reads the answer to a PutLogEvents call as the SDK client reads it (JSON 1.1 protocol): a 2xx is the response with
 * its rejected-events info; anything else is the service's exception, of the class the SDK client throws for that
 * error code (its modeled exceptions, else {@link CloudWatchLogsException}), with the same error code, message, status
 * and request id, so the sink's classifier sorts it as it sorts the SDK client's.
 */
final class PutLogEventsAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE_NAME = "CloudWatchLogs";

    /** The exception builders of the error codes the SDK client models for CloudWatch Logs' sink calls. */
    private static final Map<String, Supplier<AwsServiceException.Builder>> MODELED = Map.ofEntries(
            Map.entry("ResourceNotFoundException", ResourceNotFoundException::builder),
            Map.entry("InvalidParameterException", InvalidParameterException::builder),
            Map.entry("DataAlreadyAcceptedException", DataAlreadyAcceptedException::builder),
            Map.entry("InvalidSequenceTokenException", InvalidSequenceTokenException::builder),
            Map.entry("ServiceUnavailableException", ServiceUnavailableException::builder),
            Map.entry("UnrecognizedClientException", UnrecognizedClientException::builder),
            Map.entry("ThrottlingException", ThrottlingException::builder),
            Map.entry("LimitExceededException", LimitExceededException::builder),
            Map.entry("OperationAbortedException", OperationAbortedException::builder),
            Map.entry("AccessDeniedException", AccessDeniedException::builder),
            Map.entry("ValidationException", ValidationException::builder));

    private PutLogEventsAnswer() {}

    /** The response of a successful call; throws the service's exception for any other answer. */
    static PutLogEventsResponse read(SdkHttpResponse http, byte[] content) {
        JsonNode json = parse(content);
        if (!http.isSuccessful()) {
            throw error(http, content, json);
        }
        PutLogEventsResponse.Builder response = PutLogEventsResponse.builder();
        if (json != null && json.hasNonNull("nextSequenceToken")) {
            response.nextSequenceToken(json.get("nextSequenceToken").asText());
        }
        JsonNode rejected = json == null ? null : json.get("rejectedLogEventsInfo");
        if (rejected != null && rejected.isObject()) {
            response.rejectedLogEventsInfo(RejectedLogEventsInfo.builder()
                    .tooNewLogEventStartIndex(intOrNull(rejected, "tooNewLogEventStartIndex"))
                    .tooOldLogEventEndIndex(intOrNull(rejected, "tooOldLogEventEndIndex"))
                    .expiredLogEventEndIndex(intOrNull(rejected, "expiredLogEventEndIndex"))
                    .build());
        }
        response.sdkHttpResponse(http);
        return response.build();
    }

    private static AwsServiceException error(SdkHttpResponse http, byte[] content, JsonNode json) {
        String code = errorCode(http, json);
        String message = json == null ? null : text(json, "message", "Message", "errorMessage");
        Supplier<AwsServiceException.Builder> modeled = code == null ? null : MODELED.get(code);
        AwsServiceException.Builder e = modeled == null ? CloudWatchLogsException.builder() : modeled.get();
        return e.message(message)
                .statusCode(http.statusCode())
                .requestId(http.firstMatchingHeader("x-amzn-RequestId").orElse(null))
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .serviceName(SERVICE_NAME)
                        .sdkHttpResponse(http)
                        .rawResponse(SdkBytes.fromByteArray(content))
                        .build())
                .build();
    }

    /** As the SDK's JSON error code parser: the x-amzn-ErrorType header before the body's __type, each stripped. */
    static String errorCode(SdkHttpResponse http, JsonNode json) {
        String header = http.firstMatchingHeader("x-amzn-ErrorType").orElse(null);
        if (header != null) {
            int colon = header.indexOf(':');
            return colon < 0 ? header : header.substring(0, colon);
        }
        String type = json == null ? null : text(json, "__type");
        if (type == null) {
            return null;
        }
        return type.substring(type.lastIndexOf('#') + 1);
    }

    private static JsonNode parse(byte[] content) {
        if (content.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(content);
            return node != null && node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null; // an error page from a proxy, say: the status still tells what happened
        }
    }

    private static String text(JsonNode json, String... fields) {
        for (String f : fields) {
            JsonNode v = json.get(f);
            if (v != null && !v.isNull()) {
                return v.asText();
            }
        }
        return null;
    }

    private static Integer intOrNull(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }
}
