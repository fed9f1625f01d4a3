package dev.kubelogs.job.metrics.scrape;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the JDK's HTTP client sends a target's request, and the name TLS must check.
 *
 * <p>Go's URL parser, and so Prometheus, takes any host name a resolver may know, such as {@code my_exporter} or
 * {@code -a} (Kubernetes DNS names can hold {@code _}); {@code java.net.URI} reads such an authority as
 * registry-based, without a host, and the JDK's client refuses it. For such a URL the host is looked up here and the
 * request goes to its address, with the same path and query, and TLS checks the certificate against the host name,
 * which it also sends as SNI, as Go does ({@code crypto/tls} {@code hostnameInSNI}); {@code tls_config.server_name}
 * takes its place when set. The request's {@code Host} header is then the address (the JDK lets no request set it).
 * The target's {@code __address__} and {@code instance} are the host name as discovered.
 *
 * <p>A name with several addresses gives one request address each, in the order Go's dialer tries them
 * ({@code net/dial.go} {@code DialContext}: the addresses of the first one's family in the resolver's order, then
 * those of the other family, which Go races after 300 ms per RFC 6555); the scraper tries the next when one refuses
 * the connection.
 *
 * @param uri the URI to request
 * @param tlsName the name TLS checks and sends when the URI's host is not the URL's, else null
 */
record RequestAddress(URI uri, String tlsName) {
    /** Where to send the request: the URL itself, or one address per address of a host the JDK cannot read. */
    static List<RequestAddress> of(String url, HostResolver resolver) throws ScrapeFailure {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ScrapeFailure(ScrapeReason.IO_ERROR, "invalid target URL " + url + ": " + e.getMessage(), e);
        }
        if (uri.getHost() != null) {
            return List.of(new RequestAddress(uri, null));
        }
        String authority = uri.getRawAuthority();
        int colon = authority == null ? -1 : authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        if (host == null || host.isEmpty()) {
            throw new ScrapeFailure(ScrapeReason.IO_ERROR, "no host in target URL " + url);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            // what the JDK's client reports for a host it cannot resolve: a ConnectException
            throw new ScrapeFailure(ScrapeReason.CONNECT_REFUSED, "lookup " + host + ": no such host", e);
        }
        if (addresses.length == 0) {
            throw new ScrapeFailure(ScrapeReason.CONNECT_REFUSED, "lookup " + host + ": no such host");
        }
        List<RequestAddress> result = new ArrayList<>(addresses.length);
        for (InetAddress address : dialOrder(addresses)) {
            result.add(at(uri, authority, colon, host, address));
        }
        return result;
    }

    /** Go's {@code addrList.partition}: the first address's family first, each family in the resolver's order. */
    private static List<InetAddress> dialOrder(InetAddress[] addresses) {
        boolean firstIsV6 = addresses[0] instanceof Inet6Address;
        List<InetAddress> ordered = new ArrayList<>(addresses.length);
        for (InetAddress a : addresses) {
            if (a instanceof Inet6Address == firstIsV6) {
                ordered.add(a);
            }
        }
        for (InetAddress a : addresses) {
            if (a instanceof Inet6Address != firstIsV6) {
                ordered.add(a);
            }
        }
        return ordered;
    }

    private static RequestAddress at(URI uri, String authority, int colon, String host, InetAddress address) {
        String literal = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int zone = literal.indexOf('%');
            literal = "[" + (zone < 0 ? literal : literal.substring(0, zone)) + "]";
        }
        StringBuilder resolved =
                new StringBuilder(uri.getScheme()).append("://").append(literal);
        if (colon >= 0) {
            resolved.append(authority, colon, authority.length());
        }
        if (uri.getRawPath() != null) {
            resolved.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            resolved.append('?').append(uri.getRawQuery());
        }
        return new RequestAddress(URI.create(resolved.toString()), host);
    }
}
