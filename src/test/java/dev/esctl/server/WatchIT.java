package dev.esctl.server;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.Esctl;
import dev.esctl.testing.ServerProcess;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watching a real daemon over HTTP and through the CLI. */
class WatchIT {
    @TempDir Path tmp;

    private static String events(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append("{\"type\":\"T\",\"data\":{\"i\":").append(i).append(",\"pad\":\"").append("x".repeat(150)).append("\"}}\n");
        return b.toString();
    }

    /** Appends for {@code millis} from 8 clients, one event per request; returns events/s. */
    private static double appendRate(ServerProcess s, long millis) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String stream = "load/" + c;
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    HttpResponse<String> r = s.post("/streams/" + stream, events(1));
                    assertEquals(200, r.statusCode(), r.body());
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        return done.get() * 1000.0 / millis;
    }

    @Test
    void stalledWatchersDoNotSlowTheWriter() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            for (int i = 0; i < 10; i++) assertEquals(200, s.post("/streams/history", events(2000)).statusCode());
            double without = appendRate(s, 3000);
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket socket = new Socket(s.uri().getHost(), s.uri().getPort());
                    socket.setReceiveBufferSize(4096);
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET /watch?from=1 HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    stalled.add(socket); // never read: its send buffer fills and its handler blocks
                }
                Thread.sleep(500);
                double with = appendRate(s, 3000);
                System.out.printf("append rate: %.0f events/s without watchers, %.0f with 50 stalled watchers (ratio %.2f)%n", without, with, with / without);
                assertTrue(with > 0, "appends go on while 50 watchers are stalled");
                assertTrue(s.get("/info").body().contains("\"active\":50"), "the stalled watchers are visible");
                assertTrue(s.get("/info").body().matches("(?s).*\"maxLag\":[1-9].*"), "and their lag too: " + s.get("/info").body());
            } finally {
                for (Socket socket : stalled) socket.close();
            }
            assertEquals(200, s.get("/health").statusCode());
        }
    }

    @Test
    void aWatchFromEndSeesOnlyNewEventsAndControlLinesAreRecognisable() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            s.post("/streams/a", events(3));
            try (Socket socket = new Socket(s.uri().getHost(), s.uri().getPort())) {
                socket.getOutputStream().write("GET /watch?from=end&heartbeat=200 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
                while (!readLine(in).isEmpty()) { /* response headers */ }
                List<String> lines = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                boolean appended = false;
                while (System.nanoTime() < deadline) {
                    // Chunked transfer: a hex size line, that many bytes, CRLF.
                    int size = Integer.parseInt(readLine(in).trim(), 16);
                    if (size == 0) break;
                    byte[] chunk = new byte[size];
                    in.readFully(chunk);
                    readLine(in);
                    for (String l : new String(chunk, StandardCharsets.UTF_8).split("\n")) if (!l.isEmpty()) lines.add(l);
                    if (!appended && lines.stream().anyMatch(l -> l.startsWith("{\"caughtUp\""))) {
                        s.post("/streams/b", events(2));
                        appended = true;
                    }
                    if (lines.stream().anyMatch(l -> l.startsWith("{\"heartbeat\":{\"head\":5,"))) break; // idle after both events
                }
                List<String> evs = lines.stream().filter(l -> l.startsWith("{\"seq\"")).toList();
                assertEquals(2, evs.size(), lines.toString());
                assertTrue(evs.get(0).startsWith("{\"seq\":4,"), evs.toString());
                assertTrue(lines.stream().anyMatch(l -> l.matches("\\{\"heartbeat\":\\{\"head\":5,.*")), lines.toString());
            }
        }
    }

    @Test
    void watchWithALimitExitsAfterThatManyEventsRemoteAndOffline() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerProcess s = ServerProcess.start(data)) {
            s.post("/streams/a", events(5));
            Esctl.Result r = Esctl.run("", "watch", "a", "--from", "2", "--limit", "3", "--server", s.url());
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals(List.of(2L, 3L, 4L), r.out().lines().map(l -> Long.parseLong(l.replaceAll("^\\{\"seq\":(\\d+),.*", "$1"))).toList());
            // --from end --limit 1 waits for the next event, then exits.
            Process next = Esctl.builder("watch", "--from", "end", "--limit", "1", "--server", s.url()).redirectErrorStream(true).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!s.get("/info").body().contains("\"served\":2")) { // the second watch started: "end" is now
                assertTrue(System.nanoTime() < deadline, "the watch never connected");
                Thread.sleep(50);
            }
            Thread.sleep(300);
            assertTrue(next.isAlive(), "nothing new yet: still waiting");
            s.post("/streams/b", events(2));
            assertTrue(next.waitFor(30, TimeUnit.SECONDS), "exits after the first new event");
            assertEquals(0, next.exitValue());
            String out = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, out.lines().count(), out);
            assertTrue(out.startsWith("{\"seq\":6,"), out);
        }
        Esctl.Result offline = Esctl.run("", "watch", "--limit", "7", "--data", data.toString());
        assertEquals(0, offline.exitCode(), offline.stderr());
        assertEquals(7, offline.out().lines().count(), offline.out());
    }

    @Test
    void theCliReconnectsAcrossAServerRestartWithoutGapOrDuplicate() throws Exception {
        Path data = tmp.resolve("data");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        // Start on a known port so the CLI can find the restarted server at the same address.
        Process server = Esctl.builder("serve", "--data", data.toString(), "--listen", "127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("serve1.log").toFile()).start();
        waitHealthy(url);
        Path out = tmp.resolve("watch.out");
        Process watch = Esctl.builder("watch", "--server", url).redirectOutput(out.toFile()).redirectError(tmp.resolve("watch.err").toFile()).start();
        try {
            assertEquals(0, Esctl.run(events(100), "append", "s", "--server", url).exitCode());
            waitLines(out, 100);
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertEquals(6, Esctl.run(events(1), "append", "s", "--server", url).exitCode(), "the server is down");
            server = Esctl.builder("serve", "--data", data.toString(), "--listen", "127.0.0.1:" + port).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("serve2.log").toFile()).start();
            waitHealthy(url);
            assertEquals(0, Esctl.run(events(50), "append", "s", "--server", url).exitCode());
            waitLines(out, 150);
            List<String> lines = Files.readAllLines(out);
            assertEquals(150, lines.size(), String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            for (int i = 0; i < lines.size(); i++) assertTrue(lines.get(i).startsWith("{\"seq\":" + (i + 1) + ","), "line " + (i + 1) + ": " + lines.get(i));
            assertTrue(Files.readString(tmp.resolve("watch.err")).contains("reconnect"), Files.readString(tmp.resolve("watch.err")));
        } finally {
            watch.destroy();
            assertTrue(watch.waitFor(10, TimeUnit.SECONDS));
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String readLine(java.io.DataInputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) if (c != '\r') b.append((char) c);
        return b.toString();
    }

    private static void waitHealthy(String url) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 300; i++) {
            try {
                if (http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no healthy server at " + url);
    }

    private static void waitLines(Path file, int n) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (Files.exists(file) && Files.readAllLines(file).size() >= n) return;
            Thread.sleep(100);
        }
    }
}
