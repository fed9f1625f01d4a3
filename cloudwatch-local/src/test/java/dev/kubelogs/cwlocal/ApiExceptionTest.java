package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Logs_20140328 error shapes and statuses the endpoint answers with. */
class ApiExceptionTest {
    @Test
    void clientErrorsAreModelShapesWithStatus400() {
        assertShape(ApiException.invalidParameter("bad"), "InvalidParameterException", 400, "bad");
        assertShape(
                ApiException.groupNotFound(),
                "ResourceNotFoundException",
                400,
                "The specified log group does not exist.");
        assertShape(
                ApiException.streamNotFound(),
                "ResourceNotFoundException",
                400,
                "The specified log stream does not exist.");
        assertShape(
                ApiException.groupExists(),
                "ResourceAlreadyExistsException",
                400,
                "The specified log group already exists");
        assertShape(
                ApiException.streamExists(),
                "ResourceAlreadyExistsException",
                400,
                "The specified log stream already exists");
        assertShape(ApiException.serialization("Malformed"), "SerializationException", 400, "Malformed");
        assertShape(ApiException.throttling(), "ThrottlingException", 400, "Rate exceeded");
    }

    @Test
    void serverSideFailuresAre5xx() {
        assertThat(ApiException.serviceUnavailable(503).status()).isEqualTo(503);
        assertThat(ApiException.serviceUnavailable(503).type()).isEqualTo("ServiceUnavailableException");
        assertThat(ApiException.serviceUnavailable(500).status()).isEqualTo(500);
        assertShape(ApiException.internal("boom"), "InternalFailure", 500, "boom");
    }

    @Test
    void aViolatedConstraintIsWordedAsTheService() {
        assertThat(ApiException.constraint(0, "limit", "Member must have value greater than or equal to 1"))
                .hasMessage("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1");
        assertThat(ApiException.constraint(null, "logGroupName", "Member must not be null"))
                .hasMessage("1 validation error detected: Value null at 'logGroupName' failed to satisfy "
                        + "constraint: Member must not be null");
        assertThat(ApiException.constraint(null, "x", "y").type()).isEqualTo("InvalidParameterException");
    }

    @Test
    void anUnknownOrMissingTargetIsNamed() {
        assertShape(
                ApiException.unknownOperation("Logs_20140328.Nope"),
                "UnknownOperationException",
                400,
                "Unknown operation Logs_20140328.Nope");
        assertThat(ApiException.unknownOperation(null)).hasMessage("Missing X-Amz-Target header");
        assertThat(ApiException.unknownOperation("")).hasMessage("Missing X-Amz-Target header");
    }

    @Test
    void anAnswerIsNoFailureOfTheEndpointAndCarriesNoStackTrace() {
        ApiException e = ApiException.groupNotFound();
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getCause()).isNull();
    }

    private static void assertShape(ApiException e, String type, int status, String message) {
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e).hasMessage(message);
    }
}
