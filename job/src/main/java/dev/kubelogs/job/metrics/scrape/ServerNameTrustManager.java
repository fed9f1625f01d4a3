package dev.kubelogs.job.metrics.scrape;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks the server's chain with the given trust manager, then its name against {@code tls_config.server_name}
 * instead of the URL's host (pods are scraped by IP, their certificates name a service). As Go's crypto/tls, only the
 * subject alternative names count, with a {@code *.} wildcard standing for exactly one leftmost label.
 */
final class ServerNameTrustManager extends X509ExtendedTrustManager {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final X509ExtendedTrustManager chainCheck;
    private final String serverName;

    ServerNameTrustManager(X509ExtendedTrustManager chainCheck, String serverName) {
        this.chainCheck = chainCheck;
        this.serverName = serverName.toLowerCase(Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // the two-argument check validates the chain only, without the engine's endpoint identification
        chainCheck.checkServerTrusted(chain, authType);
        if (!matches(chain[0], serverName)) {
            throw new CertificateException("the server's certificate is not valid for server_name " + serverName);
        }
    }

    static boolean matches(X509Certificate cert, String name) throws CertificateParsingException {
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans == null) {
            return false;
        }
        boolean ipLiteral = isIpLiteral(name);
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
            if (ipLiteral && type == SAN_IP && sameAddress(value, name)) {
                return true;
            }
            if (!ipLiteral && type == SAN_DNS && dnsMatches(value, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(String pattern, String name) {
        if (pattern.startsWith("*.")) {
            int dot = name.indexOf('.');
            return dot > 0 && name.substring(dot).equals(pattern.substring(1));
        }
        return pattern.equals(name);
    }

    static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.matches("[0-9.]+");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // both are literals, so no lookup happens
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        chainCheck.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        chainCheck.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        chainCheck.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chainCheck.getAcceptedIssuers();
    }
}
