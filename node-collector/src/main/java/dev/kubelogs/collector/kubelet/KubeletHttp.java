package dev.kubelogs.collector.kubelet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTPS {@code GET}s to the kubelet over one kept-alive {@link SSLSocket} of the poller's own {@link SSLSocketFactory},
 * HTTP/1.1. Not {@code HttpsURLConnection}: every instance of it initializes the JVM's default SSL context, which
 * parses the JDK's whole CA bundle (~150 certificates) that the poller never uses — measured ~7 MB of RSS and ~60 ms
 * of CPU, for a collector that should fit in 64 MB. The connection is kept between polls, as Go's client keeps it
 * with the kubelet's server: a TLS handshake per poll was the largest part of an idle collector's CPU after its tail
 * loop. A request on a kept connection that the server closed meanwhile (its idle timeout) is sent again once on a new
 * one. With {@code verifyHostname} the server's certificate must match {@code host} (JSSE's HTTPS endpoint
 * identification, RFC 2818, as HttpsURLConnection checks it). One request at a time (the poller's thread).
 */
final class KubeletHttp implements AutoCloseable {
    /** What is left of a body the caller did not read is read and dropped, up to this, to keep the connection. */
    private static final int MAX_DRAIN_BYTES = 64 * 1024;

    /** Status, and the body (all of it for 200, the first bytes otherwise); closing it frees the connection. */
    final class Response implements AutoCloseable {
        private final int status;
        private final InputStream body;
        private final boolean reusable;

        private Response(int status, InputStream body, boolean reusable) {
            this.status = status;
            this.body = body;
            this.reusable = reusable;
        }

        int status() {
            return status;
        }

        InputStream body() {
            return body;
        }

        @Override
        public void close() {
            if (!reusable || !drained(body)) {
                disconnect();
            }
        }
    }

    private final SSLSocketFactory factory;
    private final String host;
    private final int port;
    private final boolean verifyHostname;
    private final int timeoutMillis;
    private SSLSocket socket;
    private InputStream in;
    private int connectionsOpened;

    KubeletHttp(SSLSocketFactory factory, String host, int port, boolean verifyHostname, int timeoutMillis) {
        this.factory = factory;
        this.host = host;
        this.port = port;
        this.verifyHostname = verifyHostname;
        this.timeoutMillis = timeoutMillis;
    }

    /** A GET of {@code path}; the response must be closed before the next request. */
    Response get(String path, String bearerToken) throws IOException {
        if (socket != null) {
            try {
                return exchange(path, bearerToken);
            } catch (SocketTimeoutException e) {
                disconnect(); // a slow kubelet, not a closed connection: not asked twice
                throw e;
            } catch (IOException e) {
                // the server closed the kept connection (idle timeout): once more on a new one
                disconnect();
            }
        }
        connect();
        try {
            return exchange(path, bearerToken);
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e;
        }
    }

    /** TCP connections (and TLS handshakes) made so far. */
    int connectionsOpened() {
        return connectionsOpened;
    }

    @Override
    public void close() {
        disconnect();
    }

    private void connect() throws IOException {
        Socket plain = new Socket();
        SSLSocket s = null;
        boolean ok = false;
        try {
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            s = (SSLSocket) factory.createSocket(plain, host, port, true);
            if (verifyHostname) {
                SSLParameters params = s.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(params);
            }
            s.startHandshake();
            connectionsOpened++;
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            ok = true;
        } finally {
            if (!ok) {
                if (s != null) {
                    s.close();
                }
                plain.close();
            }
        }
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection we give up on: nothing to do
            }
            socket = null;
            in = null;
        }
    }

    private Response exchange(String path, String bearerToken) throws IOException {
        StringBuilder req = new StringBuilder(256)
                .append("GET ")
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(host.contains(":") ? "[" + host + "]" : host)
                .append(':')
                .append(port)
                .append("\r\n")
                .append("Accept: application/json\r\n")
                .append("User-Agent: kubelogs-collector\r\n");
        if (bearerToken != null) {
            req.append("Authorization: Bearer ").append(bearerToken).append("\r\n");
        }
        req.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new ProtocolException("not an HTTP/1.x response: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad status line: " + statusLine);
        }
        long length = -1;
        boolean chunked = false;
        boolean keepAlive = !parts[0].equals("HTTP/1.0");
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad Content-Length: " + value);
                }
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            } else if (name.equals("connection")) {
                keepAlive = !value.toLowerCase(Locale.ROOT).contains("close");
            }
        }
        // a body that ends with the connection cannot leave the connection usable
        InputStream body = chunked ? new Chunked(in) : length >= 0 ? new Bounded(in, length) : in;
        return new Response(status, body, keepAlive && (chunked || length >= 0));
    }

    /** Reads what is left of a framed body; false if more is left than is worth reading or it fails. */
    private static boolean drained(InputStream body) {
        try {
            byte[] skip = new byte[4096];
            int total = 0;
            for (int n; (n = body.read(skip)) >= 0; ) {
                total += n;
                if (total > MAX_DRAIN_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A header line without CRLF; at most 64 KiB. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed in the response head");
            }
            if (b.size() >= 64 * 1024) {
                throw new ProtocolException("response header line longer than 64 KiB");
            }
            b.write(c);
        }
        int n = b.size();
        byte[] bytes = b.toByteArray();
        return new String(bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
    }

    /** The first {@code length} bytes of {@code in}; a shorter stream is an error, not a short body. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed with " + left + " bytes of the body missing");
            }
            left -= n;
            return n;
        }
    }

    /** Transfer-Encoding: chunked. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int semi = size.indexOf(';');
                try {
                    left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad chunk size: " + size);
                }
                if (left == 0) {
                    for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                        // trailers are not used
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("connection closed in a chunk");
            }
            left -= n;
            if (left == 0) {
                line(in); // the CRLF after the chunk
            }
            return n;
        }
    }
}
