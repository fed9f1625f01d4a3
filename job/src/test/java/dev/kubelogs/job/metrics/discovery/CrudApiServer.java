package dev.kubelogs.job.metrics.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode (expectations answered first), one per test, with its client. Closing it tolerates the mock's own slow
 * shutdown: after a watch the client closed, the mock's event loop can wait up to a minute for that watch's event
 * sender, and its shutdown gives up after 10 s with "Unable to close MockWebServer" (seen on a loaded CI machine).
 * That is the mock's teardown, not the behaviour under test.
 */
final class CrudApiServer implements AutoCloseable {
    final KubernetesMockServer server;
    final KubernetesClient client;

    CrudApiServer() {
        // as @EnableKubernetesMockClient(crud = true) builds it: CRUD, and expectations (server.expect()) first
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), false);
        server.init();
        client = server.createClient();
    }

    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // the mock's threads end with the test JVM; the next test has its own server
        }
    }
}
