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
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTPS {@code GET} to the kubelet over an {@link SSLSocket} of the poller's own {@link SSLSocketFactory}, HTTP/1.1
 * with {@code Connection: close}. Not {@code HttpsURLConnection}: every instance of it initializes the JVM's default
 * SSL context, which parses the JDK's whole CA bundle (~150 certificates) that the poller never uses — measured ~7 MB
 * of RSS and ~60 ms of CPU, for a collector that should fit in 64 MB. With {@code verifyHostname} the server's
 * certificate must match {@code host} (JSSE's HTTPS endpoint identification, RFC 2818, as HttpsURLConnection checks it).
 */
final class KubeletHttp {
    /** Status, and the body (all of it for 200, the first bytes otherwise). */
    record Response(int status, InputStream body, Socket socket) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private KubeletHttp() {}

    static Response get(
            SSLSocketFactory factory,
            String host,
            int port,
            String path,
            String bearerToken,
            boolean verifyHostname,
            int timeoutMillis)
            throws IOException {
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
                    .append("User-Agent: kubelogs-collector\r\n")
                    .append("Connection: close\r\n");
            if (bearerToken != null) {
                req.append("Authorization: Bearer ").append(bearerToken).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
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
                }
            }
            InputStream body = chunked ? new Chunked(in) : length >= 0 ? new Bounded(in, length) : in;
            Response r = new Response(status, body, s);
            ok = true;
            return r;
        } finally {
            if (!ok) {
                if (s != null) {
                    s.close();
                }
                plain.close();
            }
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
