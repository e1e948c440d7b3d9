package dev.esctl.server;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.Esctl;
import dev.esctl.testing.ServerProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon over HTTPS (PKCS#12 key store), with a token, and the CLI trusting its certificate. */
class TlsIT {
    @TempDir Path tmp;

    @Test
    void theDaemonServesHttpsAndTheCliTalksToIt() throws Exception {
        Path keystore = tmp.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process kt = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "esctl", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertTrue(kt.waitFor(60, TimeUnit.SECONDS) && kt.exitValue() == 0, new String(kt.getInputStream().readAllBytes()));
        Files.writeString(tmp.resolve("pass"), "changeit\n");
        Files.writeString(tmp.resolve("token"), "tls-token\n");

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("esctl");
        Path pem = tmp.resolve("ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");

        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"), "--tls-keystore", keystore.toString(),
                "--tls-password-file", tmp.resolve("pass").toString(), "--token-file", tmp.resolve("token").toString(), "--request-timeout", "2s")) {
            URI https = URI.create(s.url().replace("http://", "https://"));
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("esctl", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(https.resolve("/streams/x")).header("Authorization", "Bearer tls-token")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"T\",\"data\":1}\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(401, client.send(HttpRequest.newBuilder(https.resolve("/info")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(https.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()), "an untrusted certificate is refused by a client that does not trust it");

            Esctl.Result read = Esctl.run((String) null, "read", "--server", https.toString(), "--cacert", pem.toString(), "--token-file", tmp.resolve("token").toString());
            assertEquals(0, read.exitCode(), read.stderr());
            assertEquals(List.of(1), List.of(read.lines().size()));
            assertTrue(s.log().stream().anyMatch(l -> l.contains("tls=on")), String.join("\n", s.log()));

            // Over TLS a request head that never ends is cut off at the request timeout too.
            try (javax.net.ssl.SSLSocket slow = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(https.getHost(), https.getPort())) {
                slow.setSoTimeout(15_000);
                slow.startHandshake();
                slow.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                slow.getOutputStream().flush();
                long t0 = System.nanoTime();
                int first;
                try {
                    first = slow.getInputStream().read();
                } catch (java.net.SocketException | javax.net.ssl.SSLException cut) {
                    first = -1;
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(-1, first, "closed without an answer");
                assertTrue(ms >= 1500 && ms < 14_000, "at the 2 s request timeout (" + ms + " ms)");
            }
        }
    }
}
