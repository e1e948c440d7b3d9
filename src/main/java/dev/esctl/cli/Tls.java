package dev.esctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts: the daemon's from a PKCS#12 key store, a client's trusting one extra CA certificate (PEM). */
final class Tls {
    private Tls() {}

    /** The server side: the key and certificate chain in a PKCS#12 file, opened with {@code password}. */
    static SSLContext server(Path keystore, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use --tls-keystore " + keystore + ": " + e.getMessage()
                    + " (a PKCS#12 file and its password, via --tls-password-file or ESCTL_TLS_PASSWORD)", e);
        }
    }

    /** A client that trusts the system's CAs and also the PEM certificate(s) in {@code cacert}. */
    static SSLContext client(Path cacert) {
        try (InputStream in = Files.newInputStream(cacert)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + i++, c);
            if (i == 0) throw new IllegalArgumentException("no certificate in " + cacert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use --cacert " + cacert + ": " + e.getMessage(), e);
        }
    }

    static char[] password(Path file) throws IOException {
        if (file != null) return Files.readString(file).strip().toCharArray();
        String env = System.getenv("ESCTL_TLS_PASSWORD");
        return env == null ? new char[0] : env.toCharArray();
    }
}
