package dev.kubelogs.cwlocal;

/**
 * An error answered on the wire as {@code {"__type":"<shape>","message":"..."}} with an HTTP status.
 * The shape names are those of the Logs_20140328 model, so the AWS SDK maps them to its exception classes.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final int status;

    ApiException(String type, int status, String message) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }

    static ApiException invalidParameter(String message) {
        return new ApiException("InvalidParameterException", 400, message);
    }

    /** The service's wording for a violated model constraint ("1 validation error detected: ..."). */
    static ApiException constraint(Object value, String member, String constraint) {
        return invalidParameter("1 validation error detected: Value " + (value == null ? "null" : "'" + value + "'")
                + " at '" + member + "' failed to satisfy constraint: " + constraint);
    }

    static ApiException groupNotFound() {
        return new ApiException("ResourceNotFoundException", 400, "The specified log group does not exist.");
    }

    static ApiException streamNotFound() {
        return new ApiException("ResourceNotFoundException", 400, "The specified log stream does not exist.");
    }

    static ApiException groupExists() {
        return new ApiException("ResourceAlreadyExistsException", 400, "The specified log group already exists");
    }

    static ApiException streamExists() {
        return new ApiException("ResourceAlreadyExistsException", 400, "The specified log stream already exists");
    }

    static ApiException serialization(String message) {
        return new ApiException("SerializationException", 400, message);
    }

    static ApiException unknownOperation(String target) {
        return new ApiException(
                "UnknownOperationException",
                400,
                target == null || target.isEmpty() ? "Missing X-Amz-Target header" : "Unknown operation " + target);
    }

    static ApiException throttling() {
        return new ApiException("ThrottlingException", 400, "Rate exceeded");
    }

    static ApiException serviceUnavailable(int status) {
        return new ApiException(
                "ServiceUnavailableException", status, "The service cannot complete the request (injected fault)");
    }

    static ApiException internal(String message) {
        return new ApiException("InternalFailure", 500, message);
    }
}
