package dev.esctl.server.http;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * esctl's HTTP/1.1 engine against the JDK's HttpClient and raw sockets: keep-alive, chunked
 * bodies in and out, fixed lengths, protocol errors answered before the connection closes,
 * and the {@code setStreams} wrapping that filters (the access log) rely on.
 */
class EsctlHttpServerTest {
    private EsctlHttpServer server;
    private final AtomicLong counted = new AtomicLong();
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = new EsctlHttpServer(HttpLimits.defaults().withRequestMillis(2000));
        server.bind(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            byte[] answer = (ex.getRequestMethod() + " " + ex.getRequestURI() + " " + body.length + ":" + new String(body, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer);
            }
        });
        server.createContext("/stream", ex -> {
            // Wrapped before the headers are sent, as the router does for the access log.
            OutputStream wrapped = new FilterOutputStream(ex.getResponseBody()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    counted.addAndGet(len);
                    out.write(b, off, len);
                }
            };
            ex.setStreams(null, wrapped);
            ex.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 1000; i++) out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        });
        server.createContext("/silent", HttpExchange::close);
        server.createContext("/thread", ex -> {
            byte[] answer = ((Thread.currentThread().isVirtual() ? "virtual" : "platform") + "|").getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, answer.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer);
            }
        });
        server.createContext("/timed", ex -> {
            // As the router does: a body that stops arriving is answered 408.
            String answer;
            int status;
            try {
                answer = "read " + ex.getRequestBody().readAllBytes().length;
                status = 200;
            } catch (SocketTimeoutException e) {
                answer = "timed out: " + e.getMessage();
                status = 408;
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext("/slow-answer", ex -> {
            // Works past the request timeout without reading, as a watch does.
            try {
                Thread.sleep(2600);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = "done".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads a kept-alive connection up to and including {@code end}. */
    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder read = new StringBuilder();
        while (read.length() < end.length() || !read.substring(read.length() - end.length()).equals(end)) {
            int b = in.read();
            if (b < 0) fail("the connection closed after " + read);
            read.append((char) b);
        }
        return read.toString();
    }

    /** Asks a kept-alive connection which kind of thread serves it. */
    private static String threadKind(Socket s) throws IOException {
        s.getOutputStream().write("GET /thread HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        String answer = readUntil(s.getInputStream(), "|");
        return answer.substring(answer.lastIndexOf('\n') + 1, answer.length() - 1);
    }

    @Test
    void theFirstConnectionsOpenAtATimeGetPlatformThreadsAndTheRestVirtualOnes() throws Exception {
        int port = server.getAddress().getPort();
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < EsctlHttpServer.PLATFORM_CONNECTIONS + 2; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(10_000);
                open.add(s);
                assertEquals(i < EsctlHttpServer.PLATFORM_CONNECTIONS ? "platform" : "virtual", threadKind(s), "connection " + (i + 1));
                assertEquals(threadKind(s), threadKind(s), "a kept-alive connection stays on its thread");
            }
            // A platform connection that ends gives its slot back (once the server has seen the close).
            open.remove(0).close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            String kind;
            do {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    kind = threadKind(s);
                }
            } while (!kind.equals("platform") && System.nanoTime() < deadline);
            assertEquals("platform", kind);
        } finally {
            for (Socket s : open) s.close();
        }
    }

    @Test
    void keepAliveRequestsWithFixedAndChunkedBodies() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/echo?i=" + i))
                    .POST(HttpRequest.BodyPublishers.ofString("body" + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("POST /echo?i=" + i + " " + ("body" + i).length() + ":body" + i, r.body());
        }
        HttpResponse<String> streamed = client.send(HttpRequest.newBuilder(URI.create(base + "/stream")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(1000, streamed.body().lines().count());
        assertEquals(streamed.body().length(), counted.get(), "a stream set with setStreams before the headers carries the whole body");
        // A chunked request body, two requests pipelined on one connection.
        String two = raw(server.getAddress().getPort(),
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                        + "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(two.startsWith("HTTP/1.1 200 "), two);
        assertTrue(two.contains("POST /echo 5:abcde"), two);
        assertTrue(two.contains("GET /echo 0:"), two);
    }

    @Test
    void protocolErrorsAreAnsweredBeforeTheConnectionCloses() throws Exception {
        int port = server.getAddress().getPort();
        String[][] cases = {
                {"GET /echo%ZZ HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
                {"GET /echo HTTP/2.0\r\nHost: x\r\n\r\n", "505"},
                {"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", "404"},
                {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "400"},
                {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", "400"},
                {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", "501"},
                {"GET /echo HTTP/1.1\r\nHost x\r\n\r\n", "400"},
        };
        for (String[] c : cases) {
            String answer = raw(port, c[0]);
            assertTrue(answer.startsWith("HTTP/1.1 " + c[1] + " "), c[0].lines().findFirst().orElseThrow() + " -> " + answer);
            assertTrue(answer.contains("{\"error\":"), "a JSON error names the problem: " + answer);
        }
        String silent = raw(port, "GET /silent HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(silent.startsWith("HTTP/1.1 500 "), "a handler that answers nothing gets a 500, not a hung client: " + silent);
        HttpResponse<String> after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/echo")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode(), "the server serves on");
    }

    @Test
    void aRequestWhoseHeadNeverEndsIsCutOffAtTheRequestTimeout() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", server.getAddress().getPort())) {
            slow.setSoTimeout(20_000);
            slow.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            int read = slow.getInputStream().read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(-1, read, "the connection is closed without an answer");
            assertTrue(ms < 15_000, "cut off after the 2 s request timeout, not left open (" + ms + " ms)");
        }
    }

    @Test
    void aBodyThatStopsArrivingIsCutOffAtTheRequestTimeoutAndTheAnswerStillGoesOut() throws Exception {
        long t0 = System.nanoTime();
        String answer = raw(server.getAddress().getPort(), "POST /timed HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
        assertTrue(answer.endsWith("timed out: the request did not arrive in time"), answer);
        assertTrue(ms >= 1500 && ms < 15_000, "cut off at the 2 s request timeout (" + ms + " ms)");
    }

    @Test
    void aHandlerThatWorksPastTheRequestTimeoutWithoutReadingIsNotCutOff() throws Exception {
        // The first request works 2.6 s, past the 2 s request timeout; the connection must
        // still read the second, sent only then.
        try (Socket s = new Socket("127.0.0.1", server.getAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /slow-answer HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String first = readUntil(in, "\r\n\r\ndone");
            assertTrue(first.startsWith("HTTP/1.1 200 "), first);
            s.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String second = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(second.startsWith("HTTP/1.1 200 ") && second.endsWith("GET /echo 0:"), second);
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAtTheIdleTimeout() throws Exception {
        EsctlHttpServer idle = new EsctlHttpServer(new HttpLimits(16 * 1024, 100, 10_000, 1000, 100));
        idle.bind(new InetSocketAddress("127.0.0.1", 0), 16);
        idle.createContext("/ok", ex -> {
            ex.sendResponseHeaders(200, 2);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("ok".getBytes(StandardCharsets.US_ASCII));
            }
        });
        idle.start();
        try (Socket s = new Socket("127.0.0.1", idle.getAddress().getPort())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            readUntil(in, "\r\n\r\nok");
            long t0 = System.nanoTime();
            assertEquals(-1, in.read(), "closed by the server once idle");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 700 && ms < 15_000, "after the 1 s idle timeout (" + ms + " ms)");
        } finally {
            idle.stop(0);
        }
    }
}
