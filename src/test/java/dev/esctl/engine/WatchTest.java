package dev.esctl.engine;

import static dev.esctl.testing.TestEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.storage.EventRecord;
import dev.esctl.testing.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches: history then live, each matching event exactly once, in seq order. */
class WatchTest {
    private static final StoreConfig CONFIG = StoreConfig.defaults().withSegmentSize(1 << 20);

    /** Collects what a watch delivers until it has seen {@code until} (or 60 s pass). */
    private static List<EventRecord> collect(Watch w, long until) {
        List<EventRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (w.examined() < until && System.nanoTime() < deadline) {
            EventRecord e = w.next(100, TimeUnit.MILLISECONDS);
            if (e != null) out.add(e);
        }
        return out;
    }

    @Test
    void aWatcherStartedAtSeqOneWhileEightWritersAppendSeesEveryEventOnceInOrder(@TempDir Path dir) throws Exception {
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            for (int i = 0; i < 20; i++) es.append(batch("pre/" + i, 50, Expectation.ANY));
            int writers = 8, perWriter = 50_000 / writers;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> futures = new ArrayList<>();
            try (Watch all = es.watch(WatchQuery.all());
                 Watch one = es.watch(new WatchQuery("w/3", false, Set.of(), 1, 0, false));
                 Watch tree = es.watch(new WatchQuery("w", true, Set.of("Even"), 1, 0, false))) {
                for (int w = 0; w < writers; w++) {
                    String stream = "w/" + w;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < perWriter; i += 5) {
                            List<NewEvent> events = new ArrayList<>();
                            for (int k = 0; k < 5; k++) events.add(event(stream, (i + k) % 2 == 0 ? "Even" : "Odd", "{\"i\":" + (i + k) + "}"));
                            es.append(batch(events));
                        }
                        return null;
                    }));
                }
                long total = 1000 + (long) writers * perWriter;
                List<EventRecord> seen = collect(all, total);
                for (Future<?> f : futures) f.get();
                seen.addAll(collect(all, total));
                assertEquals(total, seen.size(), "every event exactly once");
                for (int i = 0; i < seen.size(); i++) assertEquals(i + 1, seen.get(i).seq(), "in seq order, no gap, no duplicate");
                assertTrue(all.caughtUp());

                List<EventRecord> ofOne = collect(one, total);
                assertEquals(perWriter, ofOne.size());
                for (int i = 0; i < ofOne.size(); i++) assertEquals(i + 1, ofOne.get(i).version());
                List<EventRecord> evenInTree = collect(tree, total);
                assertEquals(writers * perWriter / 2, evenInTree.size());
                for (int i = 1; i < evenInTree.size(); i++) assertTrue(evenInTree.get(i).seq() > evenInTree.get(i - 1).seq());
                assertTrue(evenInTree.stream().allMatch(e -> e.type().equals("Even") && e.stream().startsWith("w/")));
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void filtersGiveExactlyTheMatchingSubsequence() throws Exception {
        Random r = new Random(5);
        String[] streams = {"a", "a/1", "a/1/x", "ab", "b", "b/a"};
        String[] types = {"T1", "T2", "T3"};
        try (EventStore es = EventStore.open(FileSystems.jimfsDir(), CONFIG)) {
            for (int i = 0; i < 300; i++) {
                List<NewEvent> events = new ArrayList<>();
                for (int k = 0; k < 1 + r.nextInt(4); k++) events.add(event(streams[r.nextInt(streams.length)], types[r.nextInt(3)], "" + i));
                es.append(batch(events));
            }
            long head = es.head().seq();
            List<EventRecord> all = new ArrayList<>();
            try (EventReader reader = es.scan(ReadQuery.all())) {
                for (EventRecord e; (e = reader.next()) != null; ) all.add(e);
            }
            for (String s : new String[] {null, "a", "a/1", "b", "ab", "zz"}) {
                for (boolean recursive : new boolean[] {false, true}) {
                    if (s == null && recursive) continue;
                    for (Set<String> t : List.of(Set.<String>of(), Set.of("T2"), Set.of("T1", "T3"))) {
                        for (long from : new long[] {1, head / 2}) {
                            WatchQuery q = new WatchQuery(s, recursive, t, from, 0, false);
                            List<Long> expected = all.stream().filter(e -> e.seq() >= from && q.matches(e.stream(), e.type())).map(EventRecord::seq).toList();
                            try (Watch w = es.watch(q)) {
                                assertEquals(expected, collect(w, head).stream().map(EventRecord::seq).toList(), q.toString());
                            }
                        }
                    }
                }
            }
            // Starting at a version of one stream.
            try (Watch w = es.watch(new WatchQuery("a/1", false, Set.of(), 1, 3, false))) {
                List<EventRecord> got = collect(w, head);
                assertEquals(3, got.get(0).version());
                assertEquals(es.stream("a/1").lastVersion() - 2, got.size());
            }
        }
    }

    @Test
    void aWatchFromEndSeesOnlyEventsCommittedAfterItStarted() throws Exception {
        try (EventStore es = EventStore.open(FileSystems.jimfsDir(), CONFIG)) {
            es.append(batch("s", 10, Expectation.ANY));
            try (Watch w = es.watch(new WatchQuery(null, false, Set.of(), 1, 0, true))) {
                assertNull(w.next(50, TimeUnit.MILLISECONDS));
                assertTrue(w.caughtUp());
                es.append(batch("s", 2, Expectation.ANY));
                List<EventRecord> got = collect(w, 12);
                assertEquals(List.of(11L, 12L), got.stream().map(EventRecord::seq).toList());
            }
        }
    }

    @Test
    void waitsWithNothingCommittedEndAtTheirTimeoutAlsoWhileOtherWatchersAreWoken() throws Exception {
        try (EventStore es = EventStore.open(FileSystems.jimfsDir(), CONFIG)) {
            try (Watch quiet = es.watch(new WatchQuery("quiet", false, Set.of(), 1, 0, false));
                 Watch busy = es.watch(new WatchQuery("busy", false, Set.of(), 1, 0, false))) {
                Thread appender = Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 40; i++) {
                        es.append(batch("busy", 1, Expectation.ANY));
                        busy.next(0, TimeUnit.MILLISECONDS);
                    }
                });
                for (long timeoutMs : new long[] {30, 120, 300}) {
                    long t0 = System.nanoTime();
                    assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> assertNull(quiet.next(timeoutMs, TimeUnit.MILLISECONDS)));
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertTrue(ms >= timeoutMs && ms < timeoutMs + 3000, "a " + timeoutMs + " ms wait took " + ms + " ms");
                }
                appender.join();
            }
            Watch afterClose = es.watch(new WatchQuery("quiet", false, Set.of(), 1, 0, false));
            es.close();
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> assertNull(afterClose.next(200, TimeUnit.MILLISECONDS)),
                    "a wait after the store closed still ends");
        }
    }

    @Test
    void aWaitingWatcherIsWokenPromptlyAndACloseEndsIt() throws Exception {
        try (EventStore es = EventStore.open(FileSystems.jimfsDir(), CONFIG)) {
            Watch w = es.watch(new WatchQuery("s", false, Set.of(), 1, 0, false));
            AtomicBoolean got = new AtomicBoolean();
            Thread t = Thread.ofVirtual().start(() -> got.set(w.next(30, TimeUnit.SECONDS) != null));
            Thread.sleep(100);
            long t0 = System.nanoTime();
            es.append(batch("s", 1, Expectation.ANY));
            t.join(5000);
            assertTrue(got.get());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "woken by the commit, not by the timeout");
            Thread blocked = Thread.ofVirtual().start(() -> w.next(30, TimeUnit.SECONDS));
            Thread.sleep(50);
            w.close();
            blocked.join(5000);
            assertFalse(blocked.isAlive(), "close ends a blocked next()");
        }
    }

    @Test
    void anOfflineWatchFollowsADirectoryAnotherStoreWrites(@TempDir Path dir) throws Exception {
        StoreConfig tiny = StoreConfig.defaults().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);
        try (EventStore writer = EventStore.open(dir, tiny)) {
            writer.append(batch("s", 5, Expectation.ANY));
            try (EventStore reader = EventStore.openReadOnly(dir);
                 Watch w = reader.watch(new WatchQuery("s", false, Set.of(), 1, 0, false))) {
                List<EventRecord> got = new ArrayList<>();
                for (int i = 0; i < 60; i++) writer.append(batch("s", 10, Expectation.ANY)); // several segment rolls
                writer.append(AppendBatch.toStream(List.of(event("other", 1)), Expectation.ANY, 1 << 20));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.size() < 605 && System.nanoTime() < deadline) {
                    EventRecord e = w.next(20, TimeUnit.MILLISECONDS);
                    if (e != null) got.add(e); else reader.refresh();
                }
                assertEquals(605, got.size());
                for (int i = 0; i < got.size(); i++) assertEquals(i + 1, got.get(i).version());
                assertEquals(606, reader.head().seq());
            }
        }
    }
}
