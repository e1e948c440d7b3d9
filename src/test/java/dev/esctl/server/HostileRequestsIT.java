package dev.esctl.server;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.ServerProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-written hostile requests: each gets its documented answer (or the connection is cut), and the daemon keeps serving. */
class HostileRequestsIT {
    @TempDir Path tmp;

    private static String raw(ServerProcess s, String request) throws Exception {
        try (Socket socket = new Socket(s.uri().getHost(), s.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
            return "cut: " + e.getMessage();
        }
    }

    @Test
    void hostileRequestsAreRefusedAndTheServerSurvives() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"), "--request-timeout", "2s", "--max-watches", "2")) {
            String event = "{\"type\":\"T\",\"data\":1}";
            String[][] cases = {
                    // {request line, extra headers, body, expected status}
                    // header injection: a CR LF smuggled into a stream name is a control character
                    {"POST /streams/a%0D%0AX-Evil:%201", "", event, "400"},
                    {"POST /streams/..%2Fetc", "", event, "400"},
                    {"POST /streams/a%00b", "", event, "400"},
                    {"GET /streams/a%ZZ", "", null, "400"},
                    {"GET /events?from=1&from=2", "", null, "400"},
                    {"GET /events?limit=99999999999999999999", "", null, "400"},
                    {"BREW /events", "", null, "405"},
                    {"POST /events", "Content-Type: text/xml\r\n", "<event/>", "415"},
                    {"POST /events", "Content-Encoding: gzip\r\n", "\u001f\u008b", "415"},
                    {"POST /events", "", "{\"stream\":\"s\",\"type\":\"T\",\"data\":1,\"data\":2}\n", "400"},
                    {"POST /streams/s", "", "{\"type\":\"T\",\"data\":1e999999}", "200"},
            };
            for (String[] c : cases) {
                byte[] body = c[2] == null ? new byte[0] : c[2].getBytes(StandardCharsets.ISO_8859_1);
                String request = c[0] + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + c[1]
                        + (c[2] == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n" + (c[2] == null ? "" : c[2]);
                String answer = raw(s, request);
                assertTrue(answer.startsWith("HTTP/1.1 " + c[3]), c[0] + " -> " + answer);
            }
            // Slowloris: headers that never finish are cut off after the request timeout, and others are served meanwhile.
            try (Socket slow = new Socket(s.uri().getHost(), s.uri().getPort())) {
                OutputStream out = slow.getOutputStream();
                out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                long t0 = System.nanoTime();
                assertEquals(200, s.get("/health").statusCode(), "others are served while a slow client dribbles");
                slow.setSoTimeout(15_000);
                InputStream in = slow.getInputStream();
                for (int i = 0; i < 12 && !slow.isClosed(); i++) {
                    try {
                        out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (java.io.IOException cut) {
                        break;
                    }
                    Thread.sleep(500);
                }
                int read;
                try {
                    read = in.read();
                } catch (java.io.IOException cut) {
                    read = -1;
                }
                assertEquals(-1, read, "the slow request was cut off");
                assertTrue(System.nanoTime() - t0 < 14_000_000_000L, "within the timeout, not never");
            }
            // A body that stops arriving: 408 when the request timeout passes, and nothing appended.
            long t0 = System.nanoTime();
            String timedOut = raw(s, "POST /streams/half HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"type\":\"T\",");
            assertTrue(timedOut.startsWith("HTTP/1.1 408") && timedOut.contains("\"request_timeout\""), timedOut);
            assertTrue(System.nanoTime() - t0 < 14_000_000_000L, "within the timeout, not never");
            assertEquals(404, s.get("/streams/half").statusCode(), "nothing was appended");
            // Watches are limited: the third is refused, not queued.
            try (Socket w1 = new Socket(s.uri().getHost(), s.uri().getPort()); Socket w2 = new Socket(s.uri().getHost(), s.uri().getPort())) {
                for (Socket w : new Socket[] {w1, w2}) w.getOutputStream().write("GET /watch HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(500);
                HttpResponse<String> third = s.get("/watch");
                assertEquals(503, third.statusCode());
                assertTrue(third.body().contains("too_many_watches"));
            }
            assertEquals(200, s.get("/health").statusCode());
            assertTrue(s.get("/streams/s").body().contains("1e999999"), "a huge exponent is valid JSON and kept as sent");
        }
    }
}
