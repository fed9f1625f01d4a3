package dev.kubelogs.job.metrics.scrape;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of a {@code tls_config} with the JDK alone: certificates (one or many), and unencrypted private
 * keys in the three encodings Go's {@code tls.X509KeyPair} accepts — PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}, cert-manager's default for ECDSA). The JDK only reads
 * PKCS#8, so the other two are wrapped into PKCS#8 here.
 */
final class PemFiles {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };

    private PemFiles() {}

    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        for (var cert : factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            certs.add((X509Certificate) cert);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        return certs;
    }

    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der, file);
                case "RSA PRIVATE KEY":
                    return pkcs8(sequence(integerZero(), RSA_ALGORITHM, octetString(der)), file);
                case "EC PRIVATE KEY":
                    byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, curveOf(der, file));
                    return pkcs8(sequence(integerZero(), algorithm, octetString(der)), file);
                default:
                    throw new GeneralSecurityException(
                            "unsupported key '" + type + "' in " + file + " (encrypted keys are not supported, as in"
                                    + " Prometheus; use an unencrypted PKCS#8, PKCS#1 or SEC1 key)");
            }
        }
        throw new GeneralSecurityException("no private key in " + file);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "EdDSA", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryTheNext) {
                // the PKCS#8 header names the algorithm, but the JDK wants it named up front
            }
        }
        throw new GeneralSecurityException(
                "cannot read the private key in " + file + " (RSA, EC and Ed25519 are read)");
    }

    /** The named-curve OID in a SEC1 ECPrivateKey's {@code [0] parameters}. */
    private static byte[] curveOf(byte[] sec1, Path file) throws GeneralSecurityException {
        Der outer = new Der(sec1, 0);
        outer.expect(0x30);
        int end = outer.contentStart + outer.length;
        int pos = outer.contentStart;
        while (pos < end) {
            Der field = new Der(sec1, pos);
            if (field.tag == 0xa0) {
                Der oid = new Der(sec1, field.contentStart);
                oid.expect(0x06);
                byte[] bytes = new byte[oid.contentStart + oid.length - oid.start];
                System.arraycopy(sec1, oid.start, bytes, 0, bytes.length);
                return bytes;
            }
            pos = field.contentStart + field.length;
        }
        throw new GeneralSecurityException("the EC key in " + file + " does not name its curve");
    }

    private static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] octetString(byte[] content) {
        return tagged(0x04, content);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tagged(0x30, content.toByteArray());
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** One DER tag-length header. */
    private static final class Der {
        final int start;
        final int tag;
        final int length;
        final int contentStart;

        Der(byte[] der, int start) throws GeneralSecurityException {
            if (start + 2 > der.length) {
                throw new GeneralSecurityException("truncated key");
            }
            this.start = start;
            this.tag = der[start] & 0xff;
            int first = der[start + 1] & 0xff;
            if (first < 0x80) {
                length = first;
                contentStart = start + 2;
            } else {
                int bytes = first & 0x7f;
                if (bytes > 3 || start + 2 + bytes > der.length) {
                    throw new GeneralSecurityException("bad key length");
                }
                int n = 0;
                for (int i = 0; i < bytes; i++) {
                    n = (n << 8) | (der[start + 2 + i] & 0xff);
                }
                length = n;
                contentStart = start + 2 + bytes;
            }
        }

        void expect(int expectedTag) throws GeneralSecurityException {
            if (tag != expectedTag) {
                throw new GeneralSecurityException("unexpected key structure");
            }
        }
    }
}
