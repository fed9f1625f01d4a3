package dev.kubelogs.job.metrics.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A bare TCP target on a free loopback port, for responses an HTTP server cannot send (a body that stops, a
 * connection cut mid-body): each connection's request head is read, then the socket goes to the handler on a thread
 * of its own.
 */
final class RawTarget implements AutoCloseable {
    private final ServerSocket server;

    RawTarget(Consumer<Socket> handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread t = new Thread(() -> {
                        readRequestHead(socket);
                        handler.accept(socket);
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void readRequestHead(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code text} (a response head, maybe a part of a body) and flushes it. */
    static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Blocks until the client closed its side of the connection (or cut it). */
    static void awaitClientGone(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // a GET sends nothing after its head
            }
        } catch (IOException cut) {
            // a reset is the client going too
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/metrics";
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
