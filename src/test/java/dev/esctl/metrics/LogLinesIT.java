package dev.esctl.metrics;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.LogFields;
import dev.esctl.testing.PrometheusText;
import dev.esctl.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's log lines, read from its stderr: start-up, recovery of a torn tail, shutdown, the access log. */
class LogLinesIT {
    @TempDir Path tmp;

    private static String events(int n) {
        return "{\"type\":\"A\",\"data\":{\"pad\":\"xxxxxxxxxxxxxxxx\"}}\n".repeat(n);
    }

    @Test
    void startUpRecoveryOfATornTailAndShutdownAreLoggedWithTheirFields() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerProcess s = ServerProcess.start(data)) {
            assertEquals(200, s.post("/streams/a", events(5)).statusCode());
            assertEquals(0, s.terminate());
            Map<String, String> started = LogFields.first(s.log(), "started");
            assertEquals(data.toAbsolutePath().toString(), started.get("data"));
            assertEquals("always", started.get("fsync"));
            assertEquals("0", started.get("events"));
            assertEquals("none", started.get("recovery"));
            assertEquals("/metrics", started.get("metrics"));
            for (String key : List.of("version", "listen", "segments", "streams", "open_ms", "auth", "access_log")) {
                assertTrue(started.containsKey(key), key + " missing: " + started);
            }
            assertEquals("signal", LogFields.first(s.log(), "stopping").get("reason"));
            assertEquals("5", LogFields.first(s.log(), "stopped").get("head_seq"));
            assertTrue(s.log().stream().noneMatch(l -> l.contains("event=http_request")), "no access log unless asked for");
        }

        // A torn tail: garbage after the last frame of the active segment of the stopped store.
        Path segment = dev.esctl.testing.Dirs.lastSegment(data);
        byte[] garbage = new byte[77];
        new Random(7).nextBytes(garbage);
        long size; // where the log ends (a pre-allocated segment is longer: zeros follow)
        try (var store = dev.esctl.engine.EventStore.openReadOnly(data)) {
            size = store.head().activeEnd();
        }
        try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(garbage), size);
        }

        try (ServerProcess s = ServerProcess.start(data)) {
            Map<String, String> recovery = LogFields.first(s.log(), "recovery");
            assertEquals(data.toString(), recovery.get("data"));
            assertTrue(recovery.get("action").startsWith("cut 77 bytes at offset " + size + " of " + segment.getFileName()), recovery.toString());
            Map<String, String> started = LogFields.first(s.log(), "started");
            assertEquals("5", started.get("events"));
            assertTrue(started.get("recovery").startsWith("cut 77 bytes"), started.toString());
            PrometheusText m = MetricsIT.scrape(s);
            assertEquals(77, m.value("esctl_recovery_truncated_bytes"));
            assertEquals(1, m.value("esctl_recovery_actions"));
            assertEquals(5, m.value("esctl_head_seq"));
            assertTrue(s.get("/info").body().contains("\"recovery\":{\"cutBytes\":77,\"actions\":[\"cut 77 bytes"));
            assertEquals(size, Files.size(segment), "the tail was cut back to the last frame");
        }
    }

    @Test
    void theAccessLogHasOneLinePerRequestAndNeverTheToken() throws Exception {
        Path token = tmp.resolve("token");
        Files.writeString(token, "very-secret-token-123\n");
        Path access = tmp.resolve("access.log");
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"), "--token-file", token.toString(), "--access-log=" + access)) {
            String auth = "Bearer very-secret-token-123";
            assertEquals(200, s.post("/streams/orders/1", events(3), "Authorization", auth).statusCode());
            assertEquals(200, s.get("/streams/orders/1?limit=2", "Authorization", auth).statusCode());
            assertEquals(401, s.get("/info", "Authorization", "Bearer wrong-token").statusCode());
            assertEquals(200, s.get("/health").statusCode());
            assertEquals(0, s.terminate());
        }
        List<String> lines = Files.readAllLines(access);
        assertEquals(4, lines.size(), String.join("\n", lines));
        Map<String, String> post = LogFields.of(lines.get(0));
        assertEquals("http_request", post.get("event"));
        assertEquals("POST", post.get("method"));
        assertEquals("/streams/orders/1", post.get("path"));
        assertEquals("200", post.get("status"));
        assertTrue(Long.parseLong(post.get("bytes")) > 0);
        assertTrue(Double.parseDouble(post.get("ms")) >= 0);
        assertTrue(post.get("remote").startsWith("127.0.0.1:"), post.toString());
        Map<String, String> get = LogFields.of(lines.get(1));
        assertEquals("limit=2", get.get("query"));
        assertEquals(2, lines.get(1).chars().filter(c -> c == '"').count());
        Map<String, String> denied = LogFields.of(lines.get(2));
        assertEquals("401", denied.get("status"));
        assertEquals("/health", LogFields.of(lines.get(3)).get("path"));
        for (String l : lines) {
            assertTrue(l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z event=http_request .*"), l);
            assertFalse(l.contains("secret") || l.contains("wrong-token") || l.contains("Bearer"), l);
        }
    }

    @Test
    void theAccessLogGoesToStderrWithoutAFile() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"), "--access-log")) {
            assertEquals(200, s.get("/health").statusCode());
            assertEquals(0, s.terminate());
            Map<String, String> line = LogFields.first(s.log(), "http_request");
            assertEquals("/health", line.get("path"));
            assertEquals("200", line.get("status"));
            assertEquals("stderr", LogFields.first(s.log(), "started").get("access_log"));
        }
    }
}
