package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies read through a real {@link HttpServer} on a loopback port: plain and gzip-inflated, and refused with 413 when
 * larger than the limit, counted after inflation.
 */
class RequestBodyReaderTest {
    private static final int LIMIT = 1_000;

    private final HttpServer server;

    RequestBodyReaderTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        RequestBodyReader reader = new RequestBodyReader(LIMIT);
        server.createContext("/", ex -> {
            byte[] answer;
            int status;
            try {
                byte[] body = reader.read(ex);
                status = 200;
                answer = ("read " + body.length + " " + new String(body, StandardCharsets.UTF_8).hashCode())
                        .getBytes(StandardCharsets.UTF_8);
            } catch (ApiException e) {
                status = e.status();
                answer = (e.type() + ": " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
            }
            ex.sendResponseHeaders(status, answer.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Sends a POST with {@code headers} (CRLF-terminated lines) and returns the status line and body. */
    private String post(String headers, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.getAddress().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(0, response.indexOf("\r\n")) + " | "
                    + response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(plain);
        }
        return bytes.toByteArray();
    }

    private static String read(byte[] body) {
        return "HTTP/1.1 200 OK | read " + body.length + " " + new String(body, StandardCharsets.UTF_8).hashCode();
    }

    @Test
    void aBodyUpToTheLimitIsRead() throws IOException {
        assertThat(post("Content-Length: 1000\r\n", bytes(LIMIT))).isEqualTo(read(bytes(LIMIT)));
        assertThat(post("Content-Length: 0\r\n", new byte[0])).isEqualTo(read(new byte[0]));
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() throws IOException {
        assertThat(post("Content-Length: 1001\r\n", bytes(LIMIT + 1)))
                .isEqualTo("HTTP/1.1 413 Request Entity Too Large | SerializationException: Request body larger than "
                        + "1000 bytes");
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedToo() throws IOException {
        byte[] body = bytes(LIMIT + 1);
        byte[] chunked = ("3e9\r\n" + new String(body, StandardCharsets.US_ASCII) + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(post("Transfer-Encoding: chunked\r\n", chunked)).startsWith("HTTP/1.1 413");
    }

    @Test
    void aGzipBodyIsInflated() throws IOException {
        byte[] plain = "{\"logGroupName\":\"g\",\"logStreamName\":\"s\"}".getBytes(StandardCharsets.UTF_8);
        byte[] compressed = gzip(plain);

        assertThat(post("Content-Encoding: GZIP\r\nContent-Length: " + compressed.length + "\r\n", compressed))
                .isEqualTo(read(plain));
    }

    @Test
    void aSmallGzipBodyThatInflatesPastTheLimitIsRefused() throws IOException {
        byte[] compressed = gzip(bytes(100 * LIMIT));
        assertThat(compressed.length).isLessThan(LIMIT);

        assertThat(post("Content-Encoding: gzip\r\nContent-Length: " + compressed.length + "\r\n", compressed))
                .startsWith("HTTP/1.1 413")
                .contains("Request body larger than 1000 bytes");
    }

    @Test
    void aGzipBodyInflatingToExactlyTheLimitIsRead() throws IOException {
        byte[] compressed = gzip(bytes(LIMIT));

        assertThat(post("Content-Encoding: gzip\r\nContent-Length: " + compressed.length + "\r\n", compressed))
                .isEqualTo(read(bytes(LIMIT)));
    }

    @Test
    void anotherEncodingIsNotInflated() throws IOException {
        byte[] body = "identity".getBytes(StandardCharsets.UTF_8);
        assertThat(post("Content-Encoding: identity\r\nContent-Length: 8\r\n", body))
                .isEqualTo(read(body));
    }
}
