package dev.kubelogs.job.metrics.scrape;

import java.util.List;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;

/**
 * TLS as the JDK checks it: the server's name by the socket's own endpoint identification (HTTPS), which the trust
 * managers of {@link TlsContexts} replace for {@code server_name} and {@code insecure_skip_verify}; no second check of
 * the client's own. With {@code server_name}, that name goes as SNI instead of the URL's host, as Go sends it.
 */
final class ServerNameTlsStrategy extends DefaultClientTlsStrategy {
    private final SNIServerName serverName;

    /** @param serverName the SNI to send, or null for the URL's host (none for an IP address) */
    ServerNameTlsStrategy(SSLContext context, SNIServerName serverName) {
        super(context, HostnameVerificationPolicy.BUILTIN, NoopHostnameVerifier.INSTANCE);
        this.serverName = serverName;
    }

    @Override
    protected void initializeSocket(SSLSocket socket) {
        if (serverName != null) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(serverName));
            socket.setSSLParameters(parameters);
        }
    }
}
