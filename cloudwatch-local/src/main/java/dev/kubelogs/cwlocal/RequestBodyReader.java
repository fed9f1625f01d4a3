package dev.kubelogs.cwlocal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a request body, gzip-inflated when the client says so, refusing one larger than the limit (counted
 * inflated, so a small compressed body cannot expand without bound) with a 413 {@code SerializationException}.
 */
final class RequestBodyReader {
    private final int maxBodyBytes;

    RequestBodyReader(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    byte[] read(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException ignored) {
                // the server already rejected malformed lengths; nothing to check
            }
        }
        InputStream in = ex.getRequestBody();
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        return body;
    }

    private ApiException tooLarge() {
        return new ApiException("SerializationException", 413, "Request body larger than " + maxBodyBytes + " bytes");
    }
}
