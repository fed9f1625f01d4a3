package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * A local endpoint (in memory, ephemeral port) and an SDK client for reading back, shared by a test class; faults
 * are disarmed and counters reset after each test. Register it as a static field with {@code @RegisterExtension}.
 */
final class LocalEndpointExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private LocalCloudWatchLogs endpoint;
    private CloudWatchLogsClient sdk;

    LocalCloudWatchLogs endpoint() {
        return endpoint;
    }

    CloudWatchLogsClient sdk() {
        return sdk;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoint = LocalCloudWatchLogs.start(0, null);
        sdk = SinkTestSupport.syncClient(endpoint.endpoint());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        endpoint.faults().clear();
        endpoint.faults().resetCounters();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sdk.close();
        endpoint.close();
    }
}
