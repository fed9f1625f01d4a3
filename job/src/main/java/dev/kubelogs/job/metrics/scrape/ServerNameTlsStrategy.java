package dev.kubelogs.job.metrics.scrape;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * TLS over a connected socket as the JDK's HTTP client and Go set it up: the server's name checked by the JDK's own
 * endpoint identification (HTTPS), which the trust managers of {@link TlsContexts} replace for {@code server_name}
 * and {@code insecure_skip_verify}; as SNI, {@code server_name} when set, else the URL's host unless it is an IP
 * literal (the JDK alone would leave out a name without a dot, such as {@code localhost}).
 */
final class ServerNameTlsStrategy implements TlsSocketStrategy {
    private final SSLContext context;
    private final SNIServerName serverName;

    /** @param serverName the SNI of {@code server_name}, or null for the URL's host */
    ServerNameTlsStrategy(SSLContext context, SNIServerName serverName) {
        this.context = context;
        this.serverName = serverName;
    }

    @Override
    public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext httpContext)
            throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, target, port, true);
        try {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            SNIServerName sni = serverName != null
                    ? serverName
                    : ServerNameTrustManager.isIpLiteral(target) ? null : HttpClients.serverNameIndication(target);
            parameters.setServerNames(sni == null ? List.of() : List.of(sni));
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            tls.close();
            throw e;
        }
    }
}
