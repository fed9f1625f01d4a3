package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys in the encodings Go reads. The fixtures in {@code metrics/tls} were made once with OpenSSL 3
 * ({@code openssl rsa -traditional} for PKCS#1, {@code openssl ecparam -genkey -noout} for SEC1, {@code openssl req
 * -x509} for their certificates); they protect nothing.
 */
class PemFilesTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PemFilesTest.class.getResource("/metrics/tls/" + name).toURI());
    }

    private static void assertPair(PrivateKey key, PublicKey publicKey, String algorithm) throws Exception {
        byte[] data = "scrape".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(data);
        assertThat(verifier.verify(signature))
                .as("the key belongs to the certificate")
                .isTrue();
    }

    @Test
    void aPkcs1RsaKeyIsRead() throws Exception {
        PrivateKey key = PemFiles.privateKey(fixture("rsa-pkcs1.key"));
        assertPair(key, PemFiles.certificates(fixture("rsa.crt")).get(0).getPublicKey(), "SHA256withRSA");
    }

    @Test
    void aSec1EcKeyIsRead() throws Exception {
        PrivateKey key = PemFiles.privateKey(fixture("ec-sec1.key"));
        assertPair(key, PemFiles.certificates(fixture("ec.crt")).get(0).getPublicKey(), "SHA256withECDSA");
    }

    @Test
    void aPkcs8KeyIsRead() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("EC").generateKeyPair();
        Path file = dir.resolve("key.pem");
        Files.writeString(
                file,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");

        assertPair(PemFiles.privateKey(file), pair.getPublic(), "SHA256withECDSA");
    }

    @Test
    void everyCertificateOfABundleIsRead() throws Exception {
        Path bundle = dir.resolve("bundle.crt");
        Files.writeString(bundle, Files.readString(fixture("rsa.crt")) + Files.readString(fixture("ec.crt")));

        assertThat(PemFiles.certificates(bundle)).hasSize(2);
    }

    @Test
    void anEncryptedKeyIsRefusedWithWhatToDo() throws Exception {
        Path file = dir.resolve("encrypted.key");
        Files.writeString(file, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemFiles.privateKey(file))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("ENCRYPTED PRIVATE KEY")
                .hasMessageContaining(file.toString());
    }

    @Test
    void aFileWithoutAKeyIsRefused() throws Exception {
        assertThatThrownBy(() -> PemFiles.privateKey(fixture("rsa.crt")))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("no private key");
    }
}
