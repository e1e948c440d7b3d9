package dev.esctl.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.check.CheckReport;
import dev.esctl.check.StoreChecker;
import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.StoreConfig;
import dev.esctl.storage.EventRecord;
import dev.esctl.storage.StoreException;
import dev.esctl.testing.Dirs;
import dev.esctl.testing.Stores;
import dev.esctl.testing.TestEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots of a live store restore to exactly the events up to their cut: same events, same
 * read output, same head hash, a clean fsck, and a store that takes appends again.
 */
class SnapshotRoundTripTest {
    private static final StoreConfig SMALL = StoreConfig.defaults().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir Path tmp;

    @Test
    void aSnapshotTakenWhileFourWritersAppendRestoresToExactlyTheFirstCutSeqEvents() throws Exception {
        Path source = tmp.resolve("source");
        try (EventStore store = EventStore.open(source, SMALL)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong failures = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            List<NewEvent> events = new ArrayList<>();
                            for (int k = 0; k <= i % 4; k++) events.add(TestEvents.event("w" + writer + "/" + (i % 7), i));
                            if (i % 5 == 0) events.add(TestEvents.event("shared", i)); // streams several writers touch
                            store.append(new AppendBatch(events, Map.of(), SMALL.maxEventBytes()));
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                            throw e;
                        }
                    }
                }));
            }
            while (store.head().seq() < 1_200) Thread.sleep(5);

            // Three cuts while the writers go on: through the running store, through the data
            // directory (as `esctl snapshot --data` does next to a daemon), and a later one.
            Path live = tmp.resolve("live.tar"), offline = tmp.resolve("offline.tar"), later = tmp.resolve("later.tar");
            SnapshotManifest a = SnapshotFile.publish(live, out -> SnapshotWriter.write(store, out, SnapshotWriter.Progress.NONE));
            SnapshotManifest b = SnapshotFile.publish(offline, out -> SnapshotWriter.write(source, out, SnapshotWriter.Progress.NONE));
            long before = store.head().seq();
            while (store.head().seq() < before + 300) Thread.sleep(5);
            SnapshotManifest c = SnapshotFile.publish(later, out -> SnapshotWriter.write(store, out, SnapshotWriter.Progress.NONE));
            long during = store.head().seq();
            stop.set(true);
            for (Thread t : writers) t.join();
            assertEquals(0, failures.get(), "no append failed");
            assertTrue(store.head().seq() > c.cutSeq(), "appends went on after the last cut");
            assertTrue(c.cutSeq() > a.cutSeq() && during >= c.cutSeq());
            assertTrue(a.files().size() > 3, "the cut spans several segments: " + a.files().size());

            int n = 0;
            for (var s : List.of(Map.entry(live, a), Map.entry(offline, b), Map.entry(later, c))) {
                Path restored = tmp.resolve("restored-" + n++);
                SnapshotManifest m = s.getValue();
                SnapshotRestore.Result r;
                try (InputStream in = Files.newInputStream(s.getKey())) {
                    r = SnapshotRestore.restore(in, restored, false, QUIET, SnapshotRestore.Progress.NONE);
                }
                assertEquals(m.cutSeq(), r.manifest().cutSeq());
                assertRestoredIsTheSourcePrefix(store, restored, m);
            }
        }
    }

    /** The restored store holds the source's first cut-seq events exactly, checks clean, and takes appends. */
    private static void assertRestoredIsTheSourcePrefix(EventStore source, Path restored, SnapshotManifest m) throws IOException {
        try (EventStore r = EventStore.openReadOnly(restored)) {
            assertEquals(m.cutSeq(), r.head().seq(), "the restored store ends at the cut");
            assertArrayEquals(m.headHash(), r.head().chainHash(), "its head hash is the manifest's");
            assertArrayEquals(chainHashAt(source, m.cutSeq()), r.head().chainHash(), "and the source's at the cut");
            assertArrayEquals(Stores.firstEvents(source, m.cutSeq()), Stores.ndjson(r, ReadQuery.all()), "read output equals the source's first " + m.cutSeq() + " events");
            for (var stream : r.streams("")) {
                assertArrayEquals(Stores.ndjson(source, ReadQuery.stream(stream.stream()).limit(stream.lastVersion())),
                        Stores.ndjson(r, ReadQuery.stream(stream.stream())), "reads of stream " + stream.stream() + " agree too (indexes rebuilt)");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CheckReport check = StoreChecker.check(restored, false, true, new PrintStream(out, true, StandardCharsets.UTF_8), StoreChecker.Progress.NONE);
        assertTrue(check.clean(), "fsck of the restored store:\n" + out);
        assertEquals(0, check.noticeCount(), out.toString());
        try (EventStore w = EventStore.open(restored, SMALL)) {
            assertEquals(m.cutSeq() + 1, w.append(TestEvents.batch("after-restore", 1, Expectation.NONE)).firstSeq(), "the restored store takes appends");
        }
    }

    private static byte[] chainHashAt(EventStore store, long seq) {
        if (seq == 0) return new byte[32];
        try (EventReader r = store.read(ReadQuery.all().from(seq).limit(1))) {
            EventRecord e = r.next();
            return e.chainHash();
        }
    }

    @Test
    void anEmptyStoreSnapshotsAndRestores() throws IOException {
        Path source = tmp.resolve("empty");
        try (EventStore store = EventStore.open(source, SMALL)) {
            Path file = tmp.resolve("empty.tar");
            SnapshotManifest m = SnapshotFile.publish(file, out -> SnapshotWriter.write(store, out, SnapshotWriter.Progress.NONE));
            assertEquals(0, m.cutSeq());
            try (InputStream in = Files.newInputStream(file)) {
                SnapshotRestore.restore(in, tmp.resolve("r"), false, QUIET, SnapshotRestore.Progress.NONE);
            }
            assertRestoredIsTheSourcePrefix(store, tmp.resolve("r"), m);
        }
    }

    @Test
    void aLogThatEndsWithASealedSegmentIsTakenWholeFooterIncluded() throws IOException {
        Path source = tmp.resolve("sealed-end");
        try (EventStore store = EventStore.open(source, SMALL)) {
            for (int i = 0; i < 600; i++) store.append(TestEvents.batch("s/" + (i % 3), 1, Expectation.ANY));
        }
        // The last segment as a crash during its creation leaves it (no header, no event yet):
        // recovery ends the log at the sealed segment before it, whose footer names the head.
        Path interrupted = Dirs.lastSegment(source);
        Dirs.truncate(interrupted, 0);
        long sealedLastSeq = Long.parseLong(interrupted.getFileName().toString().substring(0, 20)) - 1;
        Path file = tmp.resolve("sealed-end.tar");
        SnapshotManifest m = SnapshotFile.publish(file, out -> SnapshotWriter.write(source, out, SnapshotWriter.Progress.NONE));
        assertEquals(sealedLastSeq, m.cutSeq());
        SnapshotManifest.FileEntry last = m.files().get(m.files().size() - 1);
        Path lastSealed = Dirs.segments(source).get(Dirs.segments(source).size() - 2);
        assertEquals(SnapshotWriter.SEGMENTS_DIR + lastSealed.getFileName(), last.name());
        assertEquals(Files.size(lastSealed), last.length(), "the sealed segment is taken whole, footer included");
        try (InputStream in = Files.newInputStream(file)) {
            SnapshotRestore.restore(in, tmp.resolve("r"), false, QUIET, SnapshotRestore.Progress.NONE);
        }
        Files.delete(interrupted);
        try (EventStore store = EventStore.openReadOnly(source)) {
            assertRestoredIsTheSourcePrefix(store, tmp.resolve("r"), m);
        }
    }

    @Test
    void restoreRefusesANonEmptyDirectoryUnlessForcedAndNeverAStoreADaemonHolds() throws IOException {
        Path source = tmp.resolve("source");
        Path file = tmp.resolve("s.tar");
        SnapshotManifest m;
        try (EventStore store = EventStore.open(source, SMALL)) {
            store.append(TestEvents.batch("a", 10, Expectation.ANY));
            m = SnapshotFile.publish(file, out -> SnapshotWriter.write(store, out, SnapshotWriter.Progress.NONE));
        }
        Path target = tmp.resolve("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("precious.txt"), "keep me");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> restore(file, target, false));
        assertTrue(e.getMessage().contains("not empty") && e.getMessage().contains("--force"), e.getMessage());
        assertEquals(List.of("precious.txt"), Stores.names(target), "the target is untouched");

        // An empty directory is fine without --force.
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        restore(file, empty, false);
        try (EventStore r = EventStore.openReadOnly(empty)) {
            assertEquals(m.cutSeq(), r.head().seq());
        }

        // A store a process holds open for writing is refused even with --force.
        try (EventStore held = EventStore.open(empty, SMALL)) {
            StoreException locked = assertThrows(StoreException.class, () -> restore(file, empty, true));
            assertEquals(StoreException.Code.LOCKED, locked.code());
        }
        restore(file, target, true);
        assertFalse(Files.exists(target.resolve("precious.txt")), "--force replaced the old content");
        try (EventStore r = EventStore.openReadOnly(target)) {
            assertEquals(m.cutSeq(), r.head().seq());
        }
        assertEquals(List.of("empty", "s.tar", "source", "target"), Stores.names(tmp), "no temporary directory is left behind");
    }

    private static void restore(Path file, Path target, boolean force) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            SnapshotRestore.restore(in, target, force, QUIET, SnapshotRestore.Progress.NONE);
        }
    }
}
