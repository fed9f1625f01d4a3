package dev.kubelogs.cwlocal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code nextToken} of the Describe and Filter operations: the kind of listing and a cursor, so that a
 * token from one listing is refused by another as the service refuses it.
 */
final class PageTokens {
    private PageTokens() {}

    static String encode(String kind, String cursor) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((kind + "\n" + cursor).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of a token of the given kind; any other token is the service's invalid-token error. */
    static String decode(String kind, String token) {
        String s;
        try {
            s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!s.startsWith(kind + "\n")) {
            throw invalid();
        }
        return s.substring(kind.length() + 1);
    }

    static ApiException invalid() {
        return ApiException.invalidParameter("The specified nextToken is invalid.");
    }
}
