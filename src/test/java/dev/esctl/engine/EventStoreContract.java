package dev.esctl.engine;

import static dev.esctl.testing.TestEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.index.StreamInfo;
import dev.esctl.storage.EventRecord;
import dev.esctl.storage.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Behaviour of the store that must hold on every file system; subclasses say where the data directory lives. */
abstract class EventStoreContract {
    abstract Path newDir() throws IOException;

    StoreConfig config() {
        return StoreConfig.defaults();
    }

    static List<EventRecord> readAll(EventStore es, ReadQuery q) {
        List<EventRecord> out = new ArrayList<>();
        try (EventReader r = es.read(q)) {
            for (EventRecord e; (e = r.next()) != null; ) out.add(e);
        }
        return out;
    }

    @Test
    void appendsGetDenseSeqsAndVersionsAndReadBackExactly() throws IOException {
        Path dir = newDir();
        try (EventStore es = EventStore.open(dir, config())) {
            AppendResult a = es.append(batch("orders/1", 3, Expectation.NONE));
            AppendResult b = es.append(batch("orders/2", 2, Expectation.ANY));
            AppendResult c = es.append(batch("orders/1", 1, new Expectation.Exact(3)));
            assertEquals(1, a.firstSeq());
            assertEquals(3, a.lastSeq());
            assertEquals(4, b.firstSeq());
            assertEquals(6, c.firstSeq());
            assertEquals(List.of(new StreamRange("orders/1", 4, 4, 1)), c.streams());
            List<EventRecord> all = readAll(es, ReadQuery.all());
            assertEquals(6, all.size());
            for (int i = 0; i < all.size(); i++) assertEquals(i + 1, all.get(i).seq());
            List<EventRecord> one = readAll(es, ReadQuery.stream("orders/1"));
            assertEquals(List.of(1L, 2L, 3L, 4L), one.stream().map(EventRecord::version).toList());
            assertEquals(List.of(1L, 2L, 3L, 6L), one.stream().map(EventRecord::seq).toList());
            assertEquals("{\"i\":0,\"pad\":\"" + "x".repeat(150) + "\"}", utf8(one.get(0).data()));
            assertEquals(new StreamInfo("orders/1", 4, 6), es.stream("orders/1"));
            assertNull(es.stream("orders/3"));
        }
    }

    @Test
    void stateSurvivesReopen() throws IOException {
        Path dir = newDir();
        try (EventStore es = EventStore.open(dir, config())) {
            es.append(batch("a", 5, Expectation.ANY));
            es.append(batch("b", 5, Expectation.ANY));
        }
        try (EventStore es = EventStore.open(dir, config())) {
            assertEquals(10, es.head().seq());
            assertEquals(new StreamInfo("a", 5, 5), es.stream("a"));
            AppendResult r = es.append(batch("a", 1, new Expectation.Exact(5)));
            assertEquals(11, r.firstSeq());
            assertEquals(6, r.streams().get(0).firstVersion());
        }
        try (EventStore ro = EventStore.openReadOnly(dir)) {
            assertEquals(11, readAll(ro, ReadQuery.all()).size());
            assertEquals(List.of("a", "b"), ro.streams("").stream().map(StreamInfo::stream).toList());
        }
    }

    @Test
    void expectationsFollowTheirRules() throws IOException {
        try (EventStore es = EventStore.open(newDir(), config())) {
            assertConflict(es, "s", Expectation.EXISTS, 0);
            assertConflict(es, "s", new Expectation.Exact(1), 0);
            es.append(batch("s", 1, new Expectation.Exact(0)));
            assertConflict(es, "s", Expectation.NONE, 1);
            assertConflict(es, "s", new Expectation.Exact(0), 1);
            assertConflict(es, "s", new Expectation.Exact(2), 1);
            es.append(batch("s", 1, Expectation.EXISTS));
            es.append(batch("s", 1, new Expectation.Exact(2)));
            es.append(batch("s", 1, Expectation.ANY));
            es.append(batch("t", 1, Expectation.NONE));
            assertEquals(4, es.stream("s").lastVersion());
            assertEquals(5, es.head().seq(), "refused batches appended nothing");
        }
    }

    private static void assertConflict(EventStore es, String stream, Expectation e, long actual) {
        long before = es.head().seq();
        WrongExpectedVersionException x = assertThrows(WrongExpectedVersionException.class, () -> es.append(batch(stream, 2, e)));
        assertEquals(actual, x.actualVersion());
        assertEquals(e, x.expected());
        assertTrue(x.getMessage().contains(stream), x.getMessage());
        assertEquals(before, es.head().seq());
    }

    @Test
    void multiStreamBatchIsAllOrNothing() throws IOException {
        try (EventStore es = EventStore.open(newDir(), config())) {
            es.append(batch("b", 1, Expectation.ANY));
            List<NewEvent> events = List.of(event("a", 1), event("b", 2), event("a", 3), event("c", 4));
            WrongExpectedVersionException x = assertThrows(WrongExpectedVersionException.class, () ->
                    es.append(new AppendBatch(events, Map.of("a", Expectation.NONE, "b", Expectation.NONE), StoreConfig.DEFAULT_MAX_EVENT_BYTES)));
            assertEquals("b", x.stream());
            assertEquals(1, es.head().seq());
            assertNull(es.stream("a"));
            assertNull(es.stream("c"));
            AppendResult ok = es.append(new AppendBatch(events, Map.of("a", Expectation.NONE, "b", new Expectation.Exact(1)), StoreConfig.DEFAULT_MAX_EVENT_BYTES));
            assertEquals(2, ok.firstSeq());
            assertEquals(5, ok.lastSeq());
            assertEquals(List.of(new StreamRange("a", 1, 2, 2), new StreamRange("b", 2, 2, 1), new StreamRange("c", 1, 1, 1)), ok.streams());
        }
    }

    @Test
    void badBatchesAreRefusedBeforeTheyReachTheLog() {
        assertThrows(BadInputException.class, () -> batch("s", 0, Expectation.ANY));
        NewEvent e = event("s", 1);
        BadInputException dup = assertThrows(BadInputException.class, () -> batch(List.of(e, e)));
        assertEquals("duplicate_id", dup.code());
        BadInputException big = assertThrows(BadInputException.class, () ->
                new AppendBatch(List.of(event("s", "T", "\"" + "x".repeat(2000) + "\"")), Map.of(), 1024));
        assertEquals("too_large", big.code());
        assertEquals("invalid_stream", assertThrows(BadInputException.class, () -> event("a//b", 1)).code());
        assertEquals("invalid_stream", assertThrows(BadInputException.class, () -> event("a/../b", 1)).code());
        assertEquals("invalid_stream", assertThrows(BadInputException.class, () -> event("bad\u0001name", 1)).code());
        assertEquals("invalid_stream", assertThrows(BadInputException.class, () -> event("x".repeat(257), 1)).code());
        assertEquals("invalid_type", assertThrows(BadInputException.class, () -> event("s", "", "1")).code());
    }

    @Test
    void commitTimesNeverDecrease() throws IOException {
        try (EventStore es = EventStore.open(newDir(), config())) {
            for (int i = 0; i < 50; i++) es.append(batch("s", 1, Expectation.ANY));
            long last = 0;
            for (EventRecord e : readAll(es, ReadQuery.all())) {
                assertTrue(e.timeMicros() >= last);
                last = e.timeMicros();
            }
        }
    }

    @Test
    void segmentsRollAtTheSizeThresholdAndReadAcrossThem() throws IOException {
        Path dir = newDir();
        StoreConfig small = config().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);
        try (EventStore es = EventStore.open(dir, small)) {
            for (int i = 0; i < 100; i++) es.append(batch("s/" + (i % 7), 10, Expectation.ANY));
        }
        long segmentFiles;
        try (Stream<Path> files = Files.list(dir.resolve("segments"))) {
            segmentFiles = files.count();
        }
        assertTrue(segmentFiles >= 4, "1000 events of ~260 bytes in 64 KiB segments: " + segmentFiles + " files");
        try (EventStore es = EventStore.open(dir, small)) {
            assertEquals(1000, es.head().seq());
            List<EventRecord> all = readAll(es, ReadQuery.all());
            assertEquals(1000, all.size());
            for (int i = 0; i < 1000; i++) assertEquals(i + 1, all.get(i).seq());
            assertEquals(List.of(501L, 502L), readAll(es, ReadQuery.all().from(501).limit(2)).stream().map(EventRecord::seq).toList());
            es.append(batch("s/0", 1, Expectation.ANY));
            assertEquals(1001, es.head().seq());
        }
    }

    @Test
    void readFormsFilterAndOrder() throws IOException {
        try (EventStore es = EventStore.open(newDir(), config())) {
            es.append(batch(List.of(event("o", "A", "1"), event("o/1", "B", "2"), event("o/1/x", "A", "3"),
                    event("other", "A", "4"), event("o", "B", "5"), event("ox", "A", "6"))));
            assertEquals(List.of(1L, 2L, 3L, 5L), seqs(readAll(es, ReadQuery.stream("o").recursive(true))));
            assertEquals(List.of(1L, 3L), seqs(readAll(es, ReadQuery.stream("o").recursive(true).types(java.util.Set.of("A")))));
            assertEquals(List.of(5L, 1L), seqs(readAll(es, ReadQuery.stream("o").backward(true))));
            assertEquals(List.of(5L), seqs(readAll(es, ReadQuery.stream("o").backward(true).limit(1))));
            assertEquals(List.of(1L), seqs(readAll(es, ReadQuery.stream("o").backward(true).from(1))));
            assertEquals(List.of(5L), seqs(readAll(es, ReadQuery.stream("o").from(2))));
            assertEquals(List.of(6L, 5L), seqs(readAll(es, ReadQuery.all().backward(true).limit(2))));
            assertEquals(List.of(4L, 6L), seqs(readAll(es, ReadQuery.all().from(3).types(java.util.Set.of("A")).from(4))));
            assertTrue(es.subtreeExists("o/1"));
            assertFalse(es.subtreeExists("o/2"));
        }
    }

    static List<Long> seqs(List<EventRecord> events) {
        return events.stream().map(EventRecord::seq).toList();
    }

    /**
     * Appends that come one at a time are committed on the appending thread, with no hand-off to
     * the writer thread and back; appendAsync and an interrupted caller go through the writer
     * thread (an interrupt would close the log file). Either way the log is the same.
     */
    @Test
    void loneAppendsAreCommittedOnTheCallingThread() throws IOException {
        Path dir = newDir();
        try (EventStore es = EventStore.open(dir, config())) {
            List<String> committers = new CopyOnWriteArrayList<>();
            es.stats().setListener(new WriterStats.Listener() {
                @Override
                public void committed(int events, long bytes, long latencyNanos) {
                    committers.add(Thread.currentThread().getName());
                }
            });
            String me = Thread.currentThread().getName();
            for (int i = 0; i < 4; i++) es.append(batch("lone", 1, Expectation.ANY));
            es.appendAsync(batch("lone", 1, Expectation.ANY)).join();
            es.append(batch("lone", 1, Expectation.ANY));
            Thread.currentThread().interrupt();
            es.append(batch("lone", 1, Expectation.ANY));
            assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
            // The first append finds no history of lone appends yet: the writer thread takes it.
            assertEquals(List.of("esctl-writer", me, me, me, "esctl-writer", me, "esctl-writer"), committers);
            List<EventRecord> all = readAll(es, ReadQuery.stream("lone"));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), all.stream().map(EventRecord::version).toList());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), all.stream().map(EventRecord::seq).toList());
        }
        try (EventStore again = EventStore.open(dir, config())) {
            assertEquals(7, again.head().seq(), "every lone commit was forced and survives reopen");
        }
    }

    @Test
    void readOnlyStoreRefusesAppends() throws IOException {
        Path dir = newDir();
        try (EventStore es = EventStore.open(dir, config())) {
            es.append(batch("s", 1, Expectation.ANY));
        }
        try (EventStore ro = EventStore.openReadOnly(dir)) {
            StoreException x = assertThrows(StoreException.class, () -> ro.append(batch("s", 1, Expectation.ANY)));
            assertEquals(StoreException.Code.CLOSED, x.code());
        }
    }

    @Test
    void readOnlyOpenOfAMissingDirectoryNamesIt() throws IOException {
        Path dir = newDir().resolve("nowhere");
        StoreException x = assertThrows(StoreException.class, () -> EventStore.openReadOnly(dir));
        assertEquals(StoreException.Code.NOT_A_STORE, x.code());
        assertTrue(x.getMessage().contains("nowhere"), x.getMessage());
    }
}
