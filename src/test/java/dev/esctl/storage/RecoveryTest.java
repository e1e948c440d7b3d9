package dev.esctl.storage;

import static dev.esctl.testing.TestEvents.batch;
import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.AppendResult;
import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.FsyncPolicy;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.StoreConfig;
import dev.esctl.testing.Dirs;
import dev.esctl.testing.FileSystems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Recovery on open: torn tails are cut to the last whole batch; damage to acknowledged bytes is refused. */
class RecoveryTest {
    private static final StoreConfig CONFIG = StoreConfig.defaults();

    private static List<EventRecord> all(EventStore es) {
        List<EventRecord> out = new ArrayList<>();
        try (EventReader r = es.read(ReadQuery.all())) {
            for (EventRecord e; (e = r.next()) != null; ) out.add(e);
        }
        return out;
    }

    /**
     * A store with batches of 3, 2 and 4 events, as a crash would leave it (the files copied
     * while it is open: no clean-shutdown mark); returns the end offset of each batch.
     */
    private static long[] threeBatches(Path dir) throws IOException {
        long[] ends = new long[3];
        Path live = dir.resolveSibling(dir.getFileName() + "-live");
        try (EventStore es = EventStore.open(live, CONFIG)) {
            es.append(batch("a", 3, Expectation.ANY));
            ends[0] = Files.size(Dirs.lastSegment(live));
            es.append(batch("b", 2, Expectation.ANY));
            ends[1] = Files.size(Dirs.lastSegment(live));
            es.append(batch("a", 4, Expectation.ANY));
            ends[2] = Files.size(Dirs.lastSegment(live));
            Dirs.copy(live, dir);
        }
        return ends;
    }

    /** 300 single-event appends in 64 KiB segments, as a crash would leave them. */
    private static void manySmallSegments(Path dir, StoreConfig small) throws IOException {
        Path live = dir.resolveSibling(dir.getFileName() + "-live");
        try (EventStore es = EventStore.open(live, small)) {
            for (int i = 0; i < 300; i++) es.append(batch("s", 1, Expectation.ANY));
            Dirs.copy(live, dir);
        }
    }

    @Test
    void recoveryCutsTornBatchAtEveryOffsetAndKeepsEarlierOnes() throws IOException {
        Path source = FileSystems.jimfsDir();
        long[] ends = threeBatches(source);
        List<EventRecord> expected;
        try (EventStore es = EventStore.openReadOnly(source)) {
            expected = all(es).subList(0, 5);
        }
        for (long cut = ends[1]; cut < ends[2]; cut++) {
            Path copy = source.resolveSibling("cut" + cut);
            Dirs.copy(source, copy);
            Dirs.truncate(Dirs.lastSegment(copy), cut);
            try (EventStore es = EventStore.open(copy, CONFIG)) {
                assertEquals(5, es.head().seq(), "cut at " + cut);
                assertEquals(ends[1], Files.size(Dirs.lastSegment(copy)), "the torn tail is cut off on disk, cut at " + cut);
                assertSameEvents(expected, all(es));
                assertEquals(3, es.stream("a").lastVersion(), "stream a is back at version 3, cut at " + cut);
                AppendResult next = es.append(batch("a", 1, new Expectation.Exact(3)));
                assertEquals(6, next.firstSeq(), "cut at " + cut);
                assertEquals(4, next.streams().get(0).firstVersion());
            }
            try (EventStore es = EventStore.open(copy, CONFIG)) {
                assertEquals(6, es.head().seq(), "reopening again keeps the state, cut at " + cut);
            }
        }
    }

    @Test
    void garbageOverTheLastBatchIsATornTail() throws IOException {
        Random random = new Random(42);
        Path source = FileSystems.jimfsDir();
        long[] ends = threeBatches(source);
        for (int round = 0; round < 50; round++) {
            Path copy = source.resolveSibling("garbage" + round);
            Dirs.copy(source, copy);
            long from = ends[1] + random.nextInt((int) (ends[2] - ends[1]));
            byte[] junk = new byte[(int) Math.min(ends[2] - from, 1 + random.nextInt(600))];
            random.nextBytes(junk);
            Dirs.overwrite(Dirs.lastSegment(copy), from, junk);
            try (EventStore es = EventStore.open(copy, CONFIG)) {
                assertEquals(5, es.head().seq(), "garbage at " + from + " length " + junk.length);
            }
        }
    }

    @Test
    void damageToAnAcknowledgedBatchFollowedByLaterWritesIsRefused() throws IOException {
        Path dir = FileSystems.jimfsDir();
        long[] ends = threeBatches(dir);
        // Damage the middle batch (acknowledged: a later forced group follows it).
        Dirs.overwrite(Dirs.lastSegment(dir), ends[0] + 100, new byte[] {1, 2, 3, 4});
        StoreException x = assertThrows(StoreException.class, () -> EventStore.open(dir, CONFIG));
        assertEquals(StoreException.Code.CORRUPT, x.code());
        assertTrue(x.getMessage().contains("esctl fsck"), x.getMessage());
        assertEquals(ends[2], Files.size(Dirs.lastSegment(dir)), "nothing was cut");
        try (EventStore ro = EventStore.openReadOnly(dir)) {
            assertEquals(3, ro.head().seq(), "read-only still serves what precedes the damage");
        }
    }

    @Test
    void damageFollowedByOneSingleEventGroupIsRefused() throws IOException {
        Path dir = FileSystems.jimfsDir();
        Path live = dir.resolveSibling("live");
        long end;
        try (EventStore es = EventStore.open(live, CONFIG)) {
            es.append(batch("a", 3, Expectation.ANY));
            end = Files.size(Dirs.lastSegment(live));
            es.append(batch("b", 2, Expectation.ANY));
            // One frame, the last of the file: its trailing length ends in zero bytes, which the
            // search for later frames must not take for the zeros after the log.
            es.append(batch("a", 1, Expectation.ANY));
            Dirs.copy(live, dir);
        }
        Dirs.overwrite(Dirs.lastSegment(dir), end + 100, new byte[] {1, 2, 3, 4});
        StoreException x = assertThrows(StoreException.class, () -> EventStore.open(dir, CONFIG));
        assertEquals(StoreException.Code.CORRUPT, x.code());
    }

    @Test
    void underALazyFsyncPolicyLaterGroupsDoNotProveDamage() throws IOException {
        Path dir = FileSystems.jimfsDir();
        Path crashed = dir.resolveSibling("crashed");
        StoreConfig lazy = CONFIG.withFsync(FsyncPolicy.NEVER);
        long mid;
        try (EventStore es = EventStore.open(dir, lazy)) {
            es.append(batch("a", 3, Expectation.ANY));
            mid = Files.size(Dirs.lastSegment(dir));
            es.append(batch("a", 3, Expectation.ANY));
            // The files as a crash would leave them: nothing was forced, so no checkpoint names these events.
            Dirs.copy(dir, crashed);
        }
        // The OS may write back later pages before earlier ones; with fsync=never that is a lost tail.
        Dirs.overwrite(Dirs.lastSegment(crashed), mid + 10, new byte[] {9, 9, 9, 9});
        try (EventStore es = EventStore.open(crashed, lazy)) {
            assertEquals(3, es.head().seq());
        }
    }

    @Test
    void aCheckpointBeyondTheLogIsRefused() throws IOException {
        Path dir = FileSystems.jimfsDir();
        long[] ends = threeBatches(dir);
        try (DurableCheckpoint cp = DurableCheckpoint.open(dir.resolve("checkpoint"))) {
            cp.write(9, 1, ends[2], false);
        }
        Dirs.truncate(Dirs.lastSegment(dir), ends[1]);
        StoreException x = assertThrows(StoreException.class, () -> EventStore.open(dir, CONFIG));
        assertEquals(StoreException.Code.CORRUPT, x.code());
        assertTrue(x.getMessage().contains("checkpoint"), x.getMessage());
    }

    @Test
    void anInterruptedSegmentCreationIsRemoved() throws IOException {
        Path dir = FileSystems.jimfsDir();
        StoreConfig small = CONFIG.withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);
        manySmallSegments(dir, small);
        List<Path> segments = Dirs.segments(dir);
        Path last = segments.get(segments.size() - 1);
        long lastSealedSeq = SegmentName.firstSeq(last) - 1;
        // As if the process died while creating the newest segment: its header never made it to disk.
        Files.write(last, new byte[SegmentLayout.HEADER_BYTES / 2]);
        try (EventStore es = EventStore.open(dir, small)) {
            assertEquals(lastSealedSeq, es.head().seq());
            assertEquals(segments.size(), Dirs.segments(dir).size(), "removed and created anew");
            assertEquals(lastSealedSeq + 1, es.append(batch("c", 1, Expectation.ANY)).firstSeq());
        }
    }

    @Test
    void aSealedSegmentWithoutItsSuccessorStartsANewOne() throws IOException {
        Path dir = FileSystems.jimfsDir();
        StoreConfig small = CONFIG.withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);
        manySmallSegments(dir, small);
        List<Path> segments = Dirs.segments(dir);
        assertTrue(segments.size() >= 2);
        // As if the process died right after sealing: the new segment never got created.
        Files.delete(segments.get(segments.size() - 1));
        Path sealed = segments.get(segments.size() - 2);
        long lastSealedSeq = SegmentName.firstSeq(segments.get(segments.size() - 1)) - 1;
        try (EventStore es = EventStore.open(dir, small)) {
            assertEquals(lastSealedSeq, es.head().seq());
            assertEquals(lastSealedSeq + 1, es.append(batch("s", 1, Expectation.ANY)).firstSeq());
            assertTrue(Files.exists(sealed));
        }
    }

    @Test
    void aBrokenHashChainBetweenSegmentsIsRefused() throws IOException {
        Path dir = FileSystems.jimfsDir();
        StoreConfig small = CONFIG.withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);
        manySmallSegments(dir, small);
        Path second = Dirs.segments(dir).get(1);
        byte[] header = Arrays.copyOf(Files.readAllBytes(second), SegmentLayout.HEADER_BYTES);
        SegmentHeader h = SegmentHeader.decode(java.nio.ByteBuffer.wrap(header));
        byte[] wrong = h.prevChainHash().clone();
        wrong[0] ^= 1;
        Dirs.overwrite(second, 0, new SegmentHeader(h.firstSeq(), wrong).encode().array());
        StoreException x = assertThrows(StoreException.class, () -> EventStore.open(dir, small));
        assertEquals(StoreException.Code.CORRUPT, x.code());
        assertTrue(x.getMessage().contains(second.getFileName().toString()), x.getMessage());
    }

    private static void assertSameEvents(List<EventRecord> expected, List<EventRecord> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            EventRecord e = expected.get(i), a = actual.get(i);
            assertEquals(e.seq(), a.seq());
            assertEquals(e.id(), a.id());
            assertArrayEquals(e.data(), a.data());
            assertArrayEquals(e.chainHash(), a.chainHash());
        }
    }
}
