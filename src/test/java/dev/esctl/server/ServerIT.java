package dev.esctl.server;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.Esctl;
import dev.esctl.testing.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real daemon over HTTP: every endpoint, every refusal, the CLI against it, and shutdown. */
class ServerIT {
    @TempDir Path tmp;

    private static String events(int n, String type) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append("{\"type\":\"").append(type).append("\",\"data\":{\"i\":").append(i).append("}}\n");
        return b.toString();
    }

    @Test
    void endpointsAnswerAndRefusalsNameWhatWasWrong() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            assertEquals(200, s.get("/health").statusCode());
            HttpResponse<String> r = s.post("/streams/orders/1?expect=none", events(3, "A"), "Content-Type", "application/x-ndjson");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"firstSeq\":1,\"lastSeq\":3"), r.body());
            assertEquals(3, s.get("/streams/orders/1").body().lines().count());
            assertEquals(3, s.get("/streams/orders%2F1").body().lines().count(), "an escaped slash is the same stream");
            assertTrue(s.get("/streams/orders/1?backward=true&limit=1").body().contains("\"version\":3"));
            assertEquals(2, s.get("/events?from=2").body().lines().count());
            assertTrue(s.get("/streams?prefix=ord").body().contains("\"stream\":\"orders/1\",\"lastVersion\":3,\"lastSeq\":3"));
            assertTrue(s.get("/info").body().contains("\"headSeq\":3"));
            r = s.post("/events", "{\"stream\":\"a\",\"type\":\"T\",\"data\":1}\n{\"stream\":\"b\",\"type\":\"T\",\"data\":2,\"expect\":\"none\"}\n");
            assertEquals(200, r.statusCode(), r.body());
            r = s.post("/streams/pay?type=Raw", "{\"x\":1}\n[2]\n");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(s.get("/streams/pay").body().contains("\"type\":\"Raw\",\"id\""));
            assertEquals(1, s.get("/streams/orders?recursive=true&type=A&limit=1").body().lines().count());

            String deep = "{\"type\":\"A\",\"data\":" + "[".repeat(100) + "]".repeat(100) + "}\n";
            String huge = "{\"type\":\"A\",\"data\":\"" + "x".repeat(2 << 20) + "\"}\n";
            Object[][] refusals = {
                    {"POST", "/streams/orders/1?expect=none", events(1, "A"), 409, "wrong_expected_version"},
                    {"POST", "/streams/orders/1?expect=7", events(1, "A"), 409, "\"actual\":3"},
                    {"POST", "/streams/orders/1", "not json\n", 400, "invalid_json"},
                    {"POST", "/streams/orders/1", "{\"type\":\"A\"}\n", 400, "missing_data"},
                    {"POST", "/streams/orders/1", "{\"type\":\"A\",\"data\":1,\"colour\":2}\n", 400, "unknown_field"},
                    {"POST", "/streams/orders/1?expect=maybe", events(1, "A"), 400, "invalid_expectation"},
                    {"POST", "/streams/orders/1", deep, 400, "too_deep"},
                    {"POST", "/streams/orders/1", huge, 413, "line_too_long"},
                    {"POST", "/streams/orders/1", "", 400, "empty_batch"},
                    {"POST", "/streams/a//b", events(1, "A"), 400, "invalid_stream"},
                    {"POST", "/streams/a/%2E%2E/b", events(1, "A"), 400, "invalid_stream"},
                    {"POST", "/streams/a%00b", events(1, "A"), 400, "invalid_stream"},
                    {"GET", "/streams/nope", null, 404, "stream_not_found"},
                    {"GET", "/streams/orders/1?limt=3", null, 400, "bad_parameter"},
                    {"GET", "/streams/orders/1?limit=-3", null, 400, "bad_parameter"},
                    {"GET", "/nowhere", null, 404, "not_found"},
                    {"DELETE", "/streams/orders/1", null, 405, "method_not_allowed"},
            };
            for (Object[] c : refusals) {
                r = s.send((String) c[0], (String) c[1], (String) c[2]);
                assertEquals(c[3], r.statusCode(), c[0] + " " + c[1] + ": " + r.body());
                assertTrue(r.body().contains((String) c[4]), c[1] + " should mention " + c[4] + ": " + r.body());
                assertTrue(r.body().startsWith("{\"error\":"), r.body());
            }
            r = s.post("/streams/utf8", "{\"type\":\"A\",\"data\":\"\u00ff\"}\n".replace("\u00ff", "\\u00ff"));
            assertEquals(200, r.statusCode(), "escaped unicode is fine: " + r.body());
            r = s.send("POST", "/streams/ct", events(1, "A"), "Content-Type", "multipart/form-data");
            assertEquals(415, r.statusCode());
            assertEquals(8, Long.parseLong(s.get("/health").body().replaceAll(".*\"headSeq\":(\\d+).*\\s*", "$1")), "refused requests appended nothing");
            assertEquals(200, s.get("/health").statusCode(), "the server keeps serving");
        }
    }

    @Test
    void invalidUtf8AndOversizedBodiesAreRefused() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"), "--max-body-size", "64KiB")) {
            java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
            byte[] bad = "{\"type\":\"A\",\"data\":\"\u0000\"}\n".getBytes();
            bad[bad.length - 4] = (byte) 0xC3; // a lead byte followed by a quote: not UTF-8
            var r = c.send(java.net.http.HttpRequest.newBuilder(s.uri().resolve("/streams/x")).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bad)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("invalid_utf8"), r.body());
            var big = s.post("/streams/x", events(5000, "A"));
            assertEquals(413, big.statusCode(), big.body());
            assertTrue(big.body().contains("body_too_large"));
            assertEquals(200, s.get("/health").statusCode());
            assertTrue(s.get("/info").body().contains("\"headSeq\":0"));
        }
    }

    @Test
    void aTokenIsRequiredEverywhereButHealth() throws Exception {
        Path token = tmp.resolve("token");
        Files.writeString(token, "s3cret-token\n");
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"), "--token-file", token.toString())) {
            assertEquals(200, s.get("/health").statusCode());
            for (String path : List.of("/info", "/streams", "/events", "/streams/x")) {
                HttpResponse<String> r = s.get(path);
                assertEquals(401, r.statusCode(), path);
                assertTrue(r.body().contains("unauthorized"));
                assertEquals(401, s.get(path, "Authorization", "Bearer wrong").statusCode());
            }
            assertEquals(401, s.post("/streams/x", events(1, "A")).statusCode());
            assertEquals(200, s.post("/streams/x", events(1, "A"), "Authorization", "Bearer s3cret-token").statusCode());
            Esctl.Result noToken = Esctl.run((String) null, "read", "--server", s.url());
            assertEquals(2, noToken.exitCode(), noToken.stderr());
            Esctl.Result withToken = Esctl.run((String) null, "read", "--server", s.url(), "--token-file", token.toString());
            assertEquals(0, withToken.exitCode(), withToken.stderr());
            assertEquals(1, withToken.lines().size());
            assertTrue(s.log().stream().noneMatch(l -> l.contains("s3cret")), "the token is never logged");
        }
    }

    @Test
    void aRetryIsAnsweredAsAReplayAlsoAfterARestart() throws Exception {
        Path data = tmp.resolve("data");
        String id = UUID.randomUUID().toString();
        String body = "{\"type\":\"A\",\"id\":\"" + id + "\",\"data\":{\"n\":1}}\n";
        String original;
        try (ServerProcess s = ServerProcess.start(data)) {
            original = s.post("/streams/r?expect=none", body).body();
            HttpResponse<String> again = s.post("/streams/r?expect=none", body);
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(original.replace("}\n", ",\"replay\":true}\n").trim(), again.body().trim());
            HttpResponse<String> other = s.post("/streams/r", body.replace("\"n\":1", "\"n\":2"));
            assertEquals(422, other.statusCode());
            assertTrue(other.body().contains("id_reused"), other.body());
            assertEquals(0, s.terminate());
        }
        try (ServerProcess s = ServerProcess.start(data)) {
            HttpResponse<String> again = s.post("/streams/r?expect=none", body);
            assertTrue(again.body().contains("\"replay\":true"), again.body());
            assertEquals(1, s.get("/streams/r").body().lines().count());
        }
    }

    @Test
    void tenThousandEventsRoundTripThroughTheCliAgainstTheServer() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            StringBuilder in = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                in.append("{\"stream\":\"s/").append(i % 10).append("\",\"type\":\"T\",\"data\":{\"i\":").append(i).append("}}\n");
            }
            Esctl.Result a = Esctl.run(in.toString(), "append", "--server", s.url(), "--batch-size", "1000", "--expect", "any");
            assertEquals(0, a.exitCode(), a.stderr());
            assertEquals(10, a.lines().size());
            Esctl.Result read = Esctl.run((String) null, "read", "--server", s.url());
            assertEquals(10_000, read.lines().size());
            Esctl.Result one = Esctl.run((String) null, "read", "s/3", "--server", s.url(), "--backward", "--limit", "1");
            assertTrue(one.out().contains("\"version\":1000"), one.out());
            Esctl.Result conflict = Esctl.run("{\"type\":\"T\",\"data\":1}\n", "append", "s/3", "--server", s.url(), "--expect", "5");
            assertEquals(3, conflict.exitCode());
            assertTrue(conflict.stderr().contains("expected version 5"), conflict.stderr());
            Esctl.Result bad = Esctl.run("{\"type\":\"T\",\"data\":1}\n{\"type\":\"T\"}\n", "append", "s/3", "--server", s.url(), "--batch-size", "1");
            assertEquals(2, bad.exitCode());
            assertTrue(bad.stderr().contains("line 2 has no \"data\""), "line numbers count from the start of the input: " + bad.stderr());
            Esctl.Result streams = Esctl.run((String) null, "streams", "s/", "--server", s.url());
            assertEquals(10, streams.lines().size());
        }
    }

    @Test
    void concurrentAppendersWithExpectationsEachWinOnce() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            int clients = 8, each = 25;
            AtomicInteger conflicts = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    for (int won = 0; won < each; ) {
                        HttpResponse<String> last = s.get("/streams/race?backward=true&limit=1");
                        long v = last.statusCode() == 404 ? 0 : Long.parseLong(last.body().replaceAll(".*\"version\":(\\d+).*\\s*", "$1"));
                        HttpResponse<String> r = s.post("/streams/race?expect=" + v, "{\"type\":\"Won\",\"data\":{\"client\":" + client + "}}\n");
                        if (r.statusCode() == 200) won++;
                        else if (r.statusCode() == 409) conflicts.incrementAndGet();
                        else throw new AssertionError(r.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
            pool.shutdown();
            List<String> lines = s.get("/streams/race").body().lines().toList();
            assertEquals(clients * each, lines.size());
            for (int i = 0; i < lines.size(); i++) assertTrue(lines.get(i).contains("\"version\":" + (i + 1) + ","));
        }
    }

    @Test
    void sigtermFinishesAppendsInFlightAndKeepsEveryAcknowledgedOne() throws Exception {
        Path data = tmp.resolve("data");
        ConcurrentHashMap<String, Boolean> acked = new ConcurrentHashMap<>();
        int exit;
        try (ServerProcess s = ServerProcess.start(data)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 100_000; i++) {
                        String id = UUID.randomUUID().toString();
                        try {
                            HttpResponse<String> r = s.post("/streams/load", "{\"type\":\"T\",\"id\":\"" + id + "\",\"data\":1}\n");
                            if (r.statusCode() == 200) acked.put(id, true);
                        } catch (Exception e) {
                            return null; // the server went away
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(1500);
            exit = s.terminate();
            for (Future<?> f : futures) f.get();
            pool.shutdown();
            assertTrue(s.log().stream().anyMatch(l -> l.contains("event=stopped")), "exit " + exit + ": " + String.join("\n", s.log()));
        }
        assertEquals(0, exit, "exit code after SIGTERM");
        assertTrue(acked.size() > 10, "load ran: " + acked.size());
        Esctl.Result read = Esctl.run((String) null, "read", "load", "--data", data.toString());
        for (String id : acked.keySet()) assertTrue(read.out().contains(id), "acknowledged " + id + " is there after restart");
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryFailsFast() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerProcess s = ServerProcess.start(data)) {
            Esctl.Result second = Esctl.run((String) null, "serve", "--data", data.toString(), "--listen", "127.0.0.1:0");
            assertEquals(5, second.exitCode());
            assertTrue(second.stderr().contains("in use by another process"), second.stderr());
            assertEquals(200, s.get("/health").statusCode());
        }
    }
}
