package dev.esctl.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.index.StreamInfo;
import dev.esctl.storage.EventRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 16 threads race to append "version N+1" of one stream with exact expectations, on the real disk. */
class ConcurrentAppendTest {
    @TempDir Path dir;

    @Test
    void everyVersionIsWonExactlyOnceAndGlobalOrderMatchesStreamOrder() throws Exception {
        int threads = 16, perThread = 40;
        AtomicInteger conflicts = new AtomicInteger();
        try (EventStore es = EventStore.open(dir, StoreConfig.defaults())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int won = 0; won < perThread; ) {
                        StreamInfo s = es.stream("race");
                        long current = s == null ? 0 : s.lastVersion();
                        NewEvent e = new NewEvent("race", "Won", null, ("{\"thread\":" + thread + ",\"claimed\":" + (current + 1) + "}").getBytes(), null);
                        try {
                            AppendResult r = es.append(AppendBatch.toStream(List.of(e), new Expectation.Exact(current), StoreConfig.DEFAULT_MAX_EVENT_BYTES));
                            assertEquals(current + 1, r.streams().get(0).firstVersion());
                            won++;
                        } catch (WrongExpectedVersionException x) {
                            assertNotEquals(current, x.actualVersion());
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            pool.shutdown();

            List<EventRecord> events = EventStoreContract.readAll(es, ReadQuery.stream("race"));
            assertEquals(threads * perThread, events.size());
            Map<String, Integer> perWinner = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                EventRecord e = events.get(i);
                assertEquals(i + 1, e.version(), "versions are dense");
                assertEquals(i + 1, e.seq(), "one stream only: global order is stream order");
                String data = new String(e.data());
                assertTrue(data.endsWith("\"claimed\":" + e.version() + "}"), "the winner of version " + e.version() + " expected it: " + data);
                perWinner.merge(data.substring(0, data.indexOf(',')), 1, Integer::sum);
            }
            assertEquals(threads, perWinner.size());
            perWinner.values().forEach(n -> assertEquals(perThread, n));
            assertTrue(conflicts.get() > 0, "threads really raced");
        }
    }
}
