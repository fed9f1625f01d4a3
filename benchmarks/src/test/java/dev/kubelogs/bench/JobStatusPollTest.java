package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Waiting for a job's end over REST: only the status resource is asked, and a failed job is an error. */
class JobStatusPollTest {
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;

    /** A JobManager's REST endpoint that answers the job's status resource with {@code statuses}, the last one for good. */
    private int serve(String... statuses) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Iterator<String> next = List.of(statuses).iterator();
        String[] last = {statuses[0]};
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            asked.add(path);
            byte[] body;
            int code;
            if (path.equals("/jobs/j1/status")) {
                synchronized (last) {
                    if (next.hasNext()) {
                        last[0] = next.next();
                    }
                    body = ("{\"status\":\"" + last[0] + "\"}").getBytes(StandardCharsets.UTF_8);
                }
                code = 200;
            } else {
                body = "{\"errors\":[\"Not found\"]}".getBytes(StandardCharsets.UTF_8);
                code = 404;
            }
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void returnsOnceTheJobFinishedAskingOnlyItsStatus() throws Exception {
        int port = serve("RUNNING", "RUNNING", "FINISHED");

        new JobStatusPoll(port, "j1", Duration.ofMillis(10)).awaitFinished(Duration.ofSeconds(10));

        assertThat(asked).containsExactly("/jobs/j1/status", "/jobs/j1/status", "/jobs/j1/status");
    }

    @Test
    void aFailedJobIsAnErrorNamingItsState() throws Exception {
        int port = serve("RUNNING", "FAILED");

        assertThatThrownBy(() ->
                        new JobStatusPoll(port, "j1", Duration.ofMillis(10)).awaitFinished(Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("job j1 is FAILED");
    }

    @Test
    void aJobThatDoesNotEndInTimeIsAnError() throws Exception {
        int port = serve("RUNNING");

        assertThatThrownBy(() ->
                        new JobStatusPoll(port, "j1", Duration.ofMillis(10)).awaitFinished(Duration.ofMillis(200)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not finish")
                .hasMessageContaining("RUNNING");
    }
}
