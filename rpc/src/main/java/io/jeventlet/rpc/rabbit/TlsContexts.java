package io.jeventlet.rpc.rabbit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK {@link SSLContext} for {@code rabbit.ssl}: the broker's certificate
 * is verified against {@code rabbit.ssl_ca_file} (PEM, one or more CA
 * certificates) or, when that is unset, the JDK's default trust store; the
 * host name is verified too. Stateless.
 */
final class TlsContexts {
    private TlsContexts() {}

    /**
     * @throws IllegalArgumentException naming the option and file when the CA file cannot be read
     */
    static SSLContext create(String caFile, String version) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null || caFile.isBlank()) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                Collection<? extends Certificate> certs;
                try (InputStream in = Files.newInputStream(Path.of(caFile))) {
                    certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                }
                if (certs.isEmpty()) {
                    throw new IllegalArgumentException("rabbit.ssl_ca_file = '" + caFile
                            + "' holds no certificate; expected PEM CA certificate(s)");
                }
                int i = 0;
                for (Certificate c : certs) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(store);
            }
            SSLContext ctx = SSLContext.getInstance(version == null ? "TLS" : version);
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new IllegalArgumentException("rabbit.ssl_ca_file = '" + caFile + "' cannot be read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("rabbit.ssl_ca_file = '" + caFile + "' is not valid PEM: " + e, e);
        }
    }
}
