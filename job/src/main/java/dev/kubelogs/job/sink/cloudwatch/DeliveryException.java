package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;

/** Delivery of a batch failed for good (budget spent, refused, or unexpected); the job must fail. */
final class DeliveryException extends IOException {
    private static final long serialVersionUID = 1L;

    DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
