package dev.esctl.server;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.ReadQuery;
import dev.esctl.storage.EventRecord;
import dev.esctl.testing.Seeds;
import dev.esctl.testing.ServerProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 under load: rounds of 16-64 concurrent HTTP appenders (single events, batches, several
 * streams in one batch, exact expectations), every third round a single appender (whose appends
 * the daemon commits on the connection's thread, not the writer's), the daemon SIGKILLed at a
 * random moment, restarted;
 * every acknowledged event must be there with the seq, stream and version it was acknowledged
 * with, batches all or nothing, seqs dense, versions continuous, no id twice. Default 5 rounds;
 * {@code scripts/kill-test N} runs N ({@code -Desctl.kill.rounds=N}, seed {@code -Desctl.kill.seed}).
 */
class KillIT {
    @TempDir Path tmp;

    /** One acknowledged request: its ids in order, and the seqs and versions the server gave them. */
    record Acked(List<UUID> ids, List<String> streams, long firstSeq, Map<String, long[]> versions) {}

    /** One request that was sent but not acknowledged: all or none of its ids may be in the store. */
    record Unknown(List<UUID> ids) {}

    @Test
    void nothingAcknowledgedIsLostWhenTheDaemonIsKilledUnderLoad() throws Exception {
        long seed = Seeds.fromProperty("esctl.kill.seed");
        int rounds = Integer.getInteger("esctl.kill.rounds", 5);
        Random random = new Random(seed);
        Path data = tmp.resolve("data");
        ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Unknown> unknown = new ConcurrentLinkedQueue<>();
        long totalAcked = 0;
        for (int round = 0; round < rounds; round++) {
            int clients = round % 3 == 1 ? 1 : 16 + random.nextInt(49);
            long killAfterMs = 300 + random.nextInt(1700);
            ServerProcess s = ServerProcess.start(data);
            AtomicBoolean dead = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
            for (int c = 0; c < clients; c++) {
                long clientSeed = random.nextLong();
                int client = c;
                int r = round;
                pool.submit(() -> load(s, http, new Random(clientSeed), "r" + r + "c" + client, dead, acked, unknown));
            }
            Thread.sleep(killAfterMs);
            s.kill();
            dead.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "clients stop once the server is gone");
            check(data, acked, unknown, "seed " + seed + ", round " + round + " (" + clients + " clients, killed after " + killAfterMs + " ms)");
            totalAcked = acked.stream().mapToLong(a -> a.ids().size()).sum();
        }
        System.out.println("kill test: " + rounds + " rounds (seed " + seed + "), " + totalAcked + " acknowledged events, " + unknown.size()
                + " requests in flight at a kill; acknowledged events lost: 0");
    }

    private static void load(ServerProcess s, HttpClient http, Random r, String me, AtomicBoolean dead,
                             ConcurrentLinkedQueue<Acked> acked, ConcurrentLinkedQueue<Unknown> unknown) {
        String own = "kill/" + me;
        long version = 0;
        while (!dead.get()) {
            int kind = r.nextInt(3);
            List<UUID> ids = new ArrayList<>();
            List<String> streams = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            String path;
            int n = kind == 0 ? 1 : 1 + r.nextInt(20);
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                String stream = kind == 2 ? "shared/" + r.nextInt(8) : own;
                ids.add(id);
                streams.add(stream);
                body.append("{\"type\":\"K\",\"id\":\"").append(id).append("\"").append(kind == 2 ? ",\"stream\":\"" + stream + "\"" : "")
                        .append(",\"data\":{\"by\":\"").append(me).append("\",\"i\":").append(i).append("}}\n");
            }
            path = kind == 2 ? "/events" : "/streams/" + own + "?expect=" + version;
            try {
                HttpResponse<String> resp = http.send(HttpRequest.newBuilder(s.uri().resolve(path)).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() == 200) {
                    long first = Long.parseLong(resp.body().replaceAll("(?s).*?\"firstSeq\":(\\d+).*", "$1"));
                    Map<String, long[]> versions = new HashMap<>();
                    var m = java.util.regex.Pattern.compile("\\{\"stream\":\"([^\"]+)\",\"firstVersion\":(\\d+),\"lastVersion\":(\\d+)").matcher(resp.body());
                    while (m.find()) versions.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
                    acked.add(new Acked(ids, streams, first, versions));
                    if (kind != 2) version = versions.get(own)[1];
                } else if (resp.statusCode() == 409) {
                    version = Long.parseLong(resp.body().replaceAll("(?s).*\"actual\":(\\d+).*", "$1"));
                } else {
                    unknown.add(new Unknown(ids));
                }
            } catch (Exception e) {
                unknown.add(new Unknown(ids));
                if (dead.get()) return;
            }
        }
    }

    private static void check(Path data, ConcurrentLinkedQueue<Acked> acked, ConcurrentLinkedQueue<Unknown> unknown, String where) throws Exception {
        Map<UUID, EventRecord> byId = new HashMap<>();
        Map<String, Long> lastVersion = new HashMap<>();
        try (EventStore es = EventStore.openReadOnly(data); EventReader reader = es.read(ReadQuery.all())) {
            long expectSeq = 1;
            for (EventRecord e; (e = reader.next()) != null; expectSeq++) {
                assertEquals(expectSeq, e.seq(), where + ": seqs are dense");
                assertNull(byId.put(e.id(), e), where + ": id " + e.id() + " appears twice");
                long v = lastVersion.merge(e.stream(), 1L, Long::sum);
                assertEquals(v, e.version(), where + ": versions of " + e.stream() + " are continuous");
            }
        }
        for (Acked a : acked) {
            for (int i = 0; i < a.ids().size(); i++) {
                EventRecord e = byId.get(a.ids().get(i));
                assertNotNull(e, where + ": acknowledged event " + a.ids().get(i) + " (seq " + (a.firstSeq() + i) + ") is lost");
                assertEquals(a.firstSeq() + i, e.seq(), where + ": acknowledged seq");
                assertEquals(a.streams().get(i), e.stream());
                long[] range = a.versions().get(e.stream());
                assertTrue(e.version() >= range[0] && e.version() <= range[1], where + ": acknowledged version range of " + e.stream());
            }
        }
        for (Unknown u : unknown) {
            long present = u.ids().stream().filter(byId::containsKey).count();
            assertTrue(present == 0 || present == u.ids().size(), where + ": a batch in flight is all or nothing, found " + present + " of " + u.ids().size());
        }
    }
}
