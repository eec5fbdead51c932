package io.jeventlet.rpc.rabbit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK {@link SSLContext} for {@code rabbit.ssl}: the broker's certificate
 * is verified against {@code rabbit.ssl_ca_file} (PEM, one or more CA
 * certificates) or, when that is unset, the JDK's default trust store; the
 * host name is verified too. With {@code rabbit.ssl_cert_file} and
 * {@code rabbit.ssl_key_file} (oslo's names) the client presents that
 * certificate to a broker that asks for one. Stateless.
 */
final class TlsContexts {
    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {}

    /**
     * @throws IllegalArgumentException naming the option and file when a file cannot be read or is
     *         not what it should be, or when only one of ssl_cert_file and ssl_key_file is set
     */
    static SSLContext create(String caFile, String certFile, String keyFile, String version) {
        boolean cert = certFile != null && !certFile.isBlank();
        boolean key = keyFile != null && !keyFile.isBlank();
        if (cert != key) {
            throw new IllegalArgumentException("rabbit.ssl_cert_file and rabbit.ssl_key_file go together: "
                    + (cert ? "ssl_cert_file = '" + certFile + "' is set but ssl_key_file is not"
                            : "ssl_key_file = '" + keyFile + "' is set but ssl_cert_file is not"));
        }
        String protocol = protocol(version);
        try {
            SSLContext ctx = SSLContext.getInstance(protocol);
            ctx.init(cert ? keyManagers(certFile, keyFile) : null, trustManagers(caFile), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("rabbit TLS context for ssl_version = '" + version
                    + "' cannot be made: " + e, e);
        }
    }

    /**
     * The JDK protocol name of {@code ssl_version} in any spelling oslo
     * accepts (case-insensitive {@code tlsv1_2}, {@code sslv23}) or the JDK's
     * ({@code TLSv1.2}); null, blank and {@code sslv23} negotiate.
     */
    static String protocol(String version) {
        if (version == null || version.isBlank()) {
            return "TLS";
        }
        String v = version.trim().toLowerCase(java.util.Locale.ROOT).replace('.', '_');
        return switch (v) {
            case "sslv23", "tls" -> "TLS";
            case "tlsv1_2" -> "TLSv1.2";
            case "tlsv1_3" -> "TLSv1.3";
            case "tlsv1", "tlsv1_0", "tlsv1_1", "sslv2", "sslv3" -> throw new IllegalArgumentException(
                    "rabbit.ssl_version = '" + version + "' is a protocol the JDK no longer allows; use tlsv1_2 or"
                            + " tlsv1_3, or leave it unset to negotiate");
            default -> throw new IllegalArgumentException("rabbit.ssl_version = '" + version + "' is not a TLS"
                    + " version; expected tlsv1_2, tlsv1_3 (or TLSv1.2, TLSv1.3), sslv23, or unset");
        };
    }

    private static javax.net.ssl.TrustManager[] trustManagers(String caFile) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null || caFile.isBlank()) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore store = emptyStore();
                int i = 0;
                for (Certificate c : certificates("rabbit.ssl_ca_file", caFile)) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(store);
            }
            return tmf.getTrustManagers();
        } catch (IOException e) {
            throw new IllegalArgumentException("rabbit.ssl_ca_file = '" + caFile + "' cannot be read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("rabbit.ssl_ca_file = '" + caFile + "' is not valid PEM: " + e, e);
        }
    }

    private static KeyManager[] keyManagers(String certFile, String keyFile) {
        Certificate[] chain;
        try {
            chain = certificates("rabbit.ssl_cert_file", certFile).toArray(new Certificate[0]);
        } catch (IOException e) {
            throw new IllegalArgumentException("rabbit.ssl_cert_file = '" + certFile + "' cannot be read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("rabbit.ssl_cert_file = '" + certFile + "' is not valid PEM: " + e, e);
        }
        PrivateKey privateKey = privateKey(keyFile);
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry("client", privateKey, NO_PASSWORD, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, NO_PASSWORD);
            return kmf.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("rabbit.ssl_key_file = '" + keyFile
                    + "' does not match rabbit.ssl_cert_file = '" + certFile + "': " + e, e);
        }
    }

    /** An unencrypted PKCS#8 PEM key (RSA or EC): what {@code openssl req -nodes} writes today. */
    private static PrivateKey privateKey(String keyFile) {
        String pem;
        try {
            pem = Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("rabbit.ssl_key_file = '" + keyFile + "' cannot be read: " + e, e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            String found = pem.contains("BEGIN RSA PRIVATE KEY") ? "a PKCS#1 RSA key"
                    : pem.contains("BEGIN ENCRYPTED PRIVATE KEY") ? "an encrypted key" : "no PEM private key";
            throw new IllegalArgumentException("rabbit.ssl_key_file = '" + keyFile + "' holds " + found
                    + "; expected an unencrypted PKCS#8 key (BEGIN PRIVATE KEY): openssl pkcs8 -topk8 -nocrypt"
                    + " -in " + keyFile + " -out KEY8");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rabbit.ssl_key_file = '" + keyFile + "' is not valid base64 PEM", e);
        }
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // Not this algorithm: try the next.
            }
        }
        throw new IllegalArgumentException("rabbit.ssl_key_file = '" + keyFile
                + "' is not an RSA, EC or Ed25519 PKCS#8 private key");
    }

    private static Collection<? extends Certificate> certificates(String option, String file)
            throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(option + " = '" + file + "' holds no certificate; expected PEM certificate(s)");
        }
        return certs;
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
