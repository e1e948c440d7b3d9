package dev.esctl.metrics;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.PrometheusText;
import dev.esctl.testing.ServerProcess;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics of a real daemon after a known workload: strict Prometheus text, and counters equal to the workload. */
class MetricsIT {
    @TempDir Path tmp;

    private static String events(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append("{\"type\":\"A\",\"data\":{\"i\":").append(i).append("}}\n");
        return b.toString();
    }

    @Test
    void metricsParseAsPrometheusTextAndCountTheWorkload() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            // The workload: 17 events in 3 committed batches, 2 conflicts, 1 bad batch, 1 replay.
            assertEquals(200, s.post("/streams/m?expect=none", events(10)).statusCode());
            assertEquals(200, s.post("/events", "{\"stream\":\"a\",\"type\":\"T\",\"data\":1}\n".repeat(2)
                    + "{\"stream\":\"b\",\"type\":\"T\",\"data\":2}\n".repeat(3)).statusCode());
            assertEquals(409, s.post("/streams/m?expect=1", events(1)).statusCode());
            assertEquals(409, s.post("/streams/m?expect=none", events(1)).statusCode());
            assertEquals(400, s.post("/streams/m", "not json\n").statusCode());
            String withIds = "{\"type\":\"A\",\"id\":\"" + UUID.randomUUID() + "\",\"data\":1}\n{\"type\":\"A\",\"id\":\"" + UUID.randomUUID() + "\",\"data\":2}\n";
            assertEquals(200, s.post("/streams/c", withIds).statusCode());
            HttpResponse<String> replay = s.post("/streams/c", withIds);
            assertEquals(200, replay.statusCode());
            assertTrue(replay.body().contains("\"replay\":true"), replay.body());
            // Reads: 10 events of one stream, 5 of the global log, 2 of a subtree, a list.
            assertEquals(10, s.get("/streams/m").body().lines().count());
            assertEquals(5, s.get("/events?limit=5").body().lines().count());
            assertEquals(2, s.get("/streams/c?recursive=true").body().lines().count());
            assertEquals(200, s.get("/streams").statusCode());
            assertEquals(404, s.get("/nowhere/" + UUID.randomUUID()).statusCode());

            // Two watchers, held open while the metrics are read.
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<InputStream>>> watches = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                watches.add(http.sendAsync(HttpRequest.newBuilder(s.uri().resolve("/watch?from=1&heartbeat=200")).build(),
                        HttpResponse.BodyHandlers.ofInputStream()));
            }
            PrometheusText m = null;
            for (int i = 0; i < 100; i++) {
                m = scrape(s);
                // A scrape reads each metric in turn while the watches start: wait for one that saw both.
                if (m.value("esctl_watchers_active") == 2 && m.value("esctl_watches_total") == 2
                        && m.value("esctl_read_requests_total", "kind", "watch") == 2
                        && m.value("esctl_read_events_total", "kind", "watch") == 34
                        && m.value("esctl_watchers_lag_max_events") == 0) break;
                Thread.sleep(100);
            }

            assertEquals(2, m.value("esctl_watchers_active"));
            assertEquals(2, m.value("esctl_watches_total"));
            assertEquals(0, m.value("esctl_watchers_lag_max_events"));
            assertEquals(17, m.value("esctl_append_events_total"));
            assertEquals(3, m.value("esctl_append_batches_total"));
            assertEquals(2, m.value("esctl_append_conflicts_total"));
            assertEquals(1, m.value("esctl_append_replays_total"));
            assertEquals(7, m.value("esctl_append_requests_total"));
            assertEquals(2, m.value("esctl_append_refusals_total", "reason", "wrong_expected_version"));
            assertEquals(1, m.value("esctl_append_refusals_total", "reason", "invalid_json"));
            assertEquals(3, m.value("esctl_append_latency_seconds_count"));
            assertTrue(m.value("esctl_append_bytes_total") > 17 * 80, "frames are at least their fixed header");
            assertTrue(m.value("esctl_fsync_duration_seconds_count") >= 3);
            assertEquals(m.value("esctl_commit_groups_total"), m.value("esctl_commit_group_events_count"));
            assertEquals(17, m.value("esctl_commit_group_events_sum"));
            assertEquals(1, m.value("esctl_writer_healthy"));
            assertEquals(0, m.value("esctl_writer_failures_total"));
            assertEquals(17, m.value("esctl_head_seq"));
            assertEquals(4, m.value("esctl_streams"));
            // One segment, or two when the writer moved to a pre-allocated spare early.
            List<Path> segments = dev.esctl.testing.Dirs.segments(tmp.resolve("data"));
            assertEquals(segments.size(), m.value("esctl_segments"));
            long bytes = 0;
            for (Path p : segments) bytes += Files.size(p);
            assertEquals(bytes, m.value("esctl_segment_bytes"));
            assertEquals(0, m.value("esctl_recovery_truncated_bytes"));
            assertEquals(10, m.value("esctl_read_events_total", "kind", "stream"));
            assertEquals(5, m.value("esctl_read_events_total", "kind", "all"));
            assertEquals(2, m.value("esctl_read_events_total", "kind", "subtree"));
            assertEquals(34, m.value("esctl_read_events_total", "kind", "watch"), "each watcher got the 17 events");
            assertEquals(1, m.value("esctl_read_requests_total", "kind", "list"));
            assertEquals(2, m.value("esctl_read_requests_total", "kind", "watch"));
            assertTrue(m.value("esctl_read_bytes_total", "kind", "stream") > 10 * 50);
            assertEquals(2, m.value("esctl_http_requests_total", "method", "POST", "route", "/streams/:stream", "status", "409"));
            assertEquals(1, m.value("esctl_http_requests_total", "method", "POST", "route", "/events", "status", "200"));
            assertEquals(1, m.value("esctl_http_requests_total", "method", "GET", "route", "other", "status", "404"));
            assertEquals("counter", m.type("esctl_append_events_total"));
            assertEquals("histogram", m.type("esctl_fsync_duration_seconds"));
            assertTrue(m.families().stream().anyMatch(f -> f.startsWith("jvm_memory")), "JVM metrics: " + m.families());
            assertTrue(m.families().stream().anyMatch(f -> f.startsWith("jvm_threads")), "JVM metrics: " + m.families());
            assertTrue(m.families().stream().anyMatch(f -> f.startsWith("jvm_gc")), "JVM metrics: " + m.families());
            for (String f : m.families()) {
                assertTrue(f.startsWith("esctl_") || f.startsWith("jvm_") || f.startsWith("process_"), "unexpected family " + f);
            }
            for (var w : watches) w.cancel(true);
        }
    }

    @Test
    void noMetricsMeansNoEndpointAndTheRestWorks() throws Exception {
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"), "--no-metrics")) {
            assertEquals(200, s.post("/streams/x", events(2)).statusCode());
            HttpResponse<String> r = s.get("/metrics");
            assertEquals(404, r.statusCode(), r.body());
            assertTrue(s.get("/info").body().contains("\"events\":2"));
            assertTrue(s.log().stream().anyMatch(l -> l.contains("event=started") && l.contains("metrics=off")), String.join("\n", s.log()));
        }
    }

    @Test
    void metricsNeedTheTokenWhenOneIsSet() throws Exception {
        Path token = tmp.resolve("token");
        Files.writeString(token, "s3cret-token\n");
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"), "--token-file", token.toString())) {
            assertEquals(401, s.get("/metrics").statusCode());
            HttpResponse<String> r = s.get("/metrics", "Authorization", "Bearer s3cret-token");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            PrometheusText.parse(r.body());
        }
    }

    static PrometheusText scrape(ServerProcess s) throws Exception {
        HttpResponse<String> r = s.get("/metrics");
        assertEquals(200, r.statusCode(), r.body());
        return PrometheusText.parse(r.body());
    }
}
