package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.TlsConfig;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the SSLContext of a {@code tls_config}: CA file, client certificate and key, server_name,
 * insecure_skip_verify.
 */
final class TlsContexts {
    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {}

    static SSLContext create(TlsConfig tls) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(tls), new TrustManager[] {trustManager(tls)}, null);
        return context;
    }

    private static KeyManager[] keyManagers(TlsConfig tls) throws IOException, GeneralSecurityException {
        if (tls.certFile() == null && tls.keyFile() == null) {
            return null;
        }
        if (tls.certFile() == null || tls.keyFile() == null) {
            throw new GeneralSecurityException(
                    tls.certFile() == null
                            ? "tls_config.key_file " + tls.keyFile() + " is set without cert_file"
                            : "tls_config.cert_file " + tls.certFile() + " is set without key_file");
        }
        List<X509Certificate> chain = PemFiles.certificates(Path.of(tls.certFile()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "client",
                PemFiles.privateKey(Path.of(tls.keyFile())),
                NO_PASSWORD,
                chain.toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        return factory.getKeyManagers();
    }

    private static X509ExtendedTrustManager trustManager(TlsConfig tls) throws IOException, GeneralSecurityException {
        if (tls.insecureSkipVerify()) {
            return new TrustEverything();
        }
        KeyStore cas = null;
        if (tls.caFile() != null) {
            cas = KeyStore.getInstance("PKCS12");
            cas.load(null, null);
            int i = 0;
            for (X509Certificate ca : PemFiles.certificates(Path.of(tls.caFile()))) {
                cas.setCertificateEntry("ca" + i++, ca);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(cas); // null: the JDK's default CAs, as Go's system pool
        X509ExtendedTrustManager chainCheck = null;
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager) {
                chainCheck = (X509ExtendedTrustManager) tm;
            }
        }
        if (chainCheck == null) {
            throw new GeneralSecurityException("the JDK offers no X509 trust manager");
        }
        return tls.serverName() == null ? chainCheck : new ServerNameTrustManager(chainCheck, tls.serverName());
    }

    /** {@code insecure_skip_verify: true}: any certificate, any name. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
