package dev.esctl.storage;

import static dev.esctl.testing.TestEvents.batch;
import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.check.CheckReport;
import dev.esctl.check.StoreChecker;
import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.StoreConfig;
import dev.esctl.testing.Dirs;
import dev.esctl.testing.FileSystems;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pre-allocated segments: the active segment is a file of the full segment size whose unused
 * part is zeros, so the log ends at the first zero frame rather than at the file's end. Sealing,
 * reopening, recovery (which zeroes what it cuts instead of truncating), fsck and the spare
 * file itself must all agree with a store that grows its files.
 */
class PreallocationTest {
    private static final long SEGMENT = StoreConfig.MIN_SEGMENT_SIZE;
    private static final StoreConfig CONFIG = StoreConfig.defaults().withSegmentSize(SEGMENT).withPreallocate(true);

    @TempDir Path disk;

    private static List<String> all(EventStore es) {
        List<String> out = new ArrayList<>();
        try (EventReader r = es.read(ReadQuery.all())) {
            for (EventRecord e; (e = r.next()) != null; ) {
                out.add(e.seq() + " " + e.stream() + " " + e.version() + " " + new String(e.data(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static CheckReport fsck(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CheckReport r = StoreChecker.check(dir, false, true, new PrintStream(out, true, StandardCharsets.UTF_8), StoreChecker.Progress.NONE);
        assertTrue(r.clean(), "fsck of " + dir + ":\n" + out.toString(StandardCharsets.UTF_8));
        return r;
    }

    private Path dir(String fs, String name) throws IOException {
        return "disk".equals(fs) ? disk.resolve(name) : FileSystems.jimfsDir().resolve(name);
    }

    /** Appends one event at a time until the active segment is a pre-allocated one (the writer moved to a spare). */
    private static int appendUntilPreallocated(EventStore es, Path dir, String stream) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int n = 0;
        while (Files.size(Dirs.lastSegment(dir)) != SEGMENT) {
            assertTrue(System.nanoTime() < deadline, "the writer never moved to a pre-allocated segment");
            es.append(batch(stream, 1, Expectation.ANY));
            n++;
            Thread.sleep(5);
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jimfs", "disk"})
    void aNewStoreMovesToASpareEarlyAndSealedSegmentsAreExact(String fs) throws Exception {
        Path dir = dir(fs, "store");
        List<String> written;
        boolean grewFirst;
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            es.append(batch("first", 1, Expectation.ANY));
            // A new store does not wait for a spare: its first segment grows, unless the spare
            // happened to be ready before it was created (a 64 KiB one on jimfs can be).
            grewFirst = Files.size(Dirs.lastSegment(dir)) < SEGMENT;
            appendUntilPreallocated(es, dir, "s");
            for (int i = 0; i < 400; i++) es.append(batch("s" + (i % 7), 1 + i % 3, Expectation.ANY));
            written = all(es);
        }
        List<Path> segments = Dirs.segments(dir);
        assertTrue(segments.size() >= 3, "the workload rolls segments, got " + segments.size());
        if (grewFirst) {
            assertTrue(Files.size(segments.get(0)) < SEGMENT / 2, "the first segment was sealed early, at " + Files.size(segments.get(0)) + " bytes");
        }
        for (Path sealed : segments.subList(0, segments.size() - 1)) {
            assertTrue(Files.size(sealed) < SEGMENT, sealed + " is cut to its frames and footer when sealed, size " + Files.size(sealed));
        }
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            assertEquals(written, all(es), "a clean reopen sees the same log");
            assertTrue(es.recovered().actions().isEmpty(), "a clean shutdown needs no recovery: " + es.recovered().actions());
            appendUntilPreallocated(es, dir, "after");
            es.append(batch("after", 2, Expectation.ANY));
            assertEquals(SEGMENT, Files.size(Dirs.lastSegment(dir)), "the active segment keeps its pre-allocated size");
        }
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            assertTrue(es.recovered().actions().isEmpty(), "a clean shutdown of a pre-allocated segment needs no recovery: " + es.recovered().actions());
            assertEquals(written, all(es).subList(0, written.size()));
        }
        fsck(dir);
    }

    @Test
    void aTornBatchOverZerosIsZeroedNotTruncatedAndEarlierBatchesSurvive() throws Exception {
        Path live = FileSystems.jimfsDir().resolve("live");
        long[] ends = new long[2];
        List<String> kept;
        Path crashed = live.resolveSibling("crashed");
        try (EventStore es = EventStore.open(live, CONFIG)) {
            appendUntilPreallocated(es, live, "warm-up");
            es.append(batch("a", 3, Expectation.ANY));
            ends[0] = es.head().activeEnd();
            kept = all(es);
            es.append(batch("b", 4, Expectation.ANY));
            ends[1] = es.head().activeEnd();
            Dirs.copy(live, crashed); // as a crash would leave it: no clean-shutdown mark
        }
        for (long cut = ends[0] + 1; cut < ends[1]; cut += 7) {
            Path copy = crashed.resolveSibling("cut" + cut);
            Dirs.copy(crashed, copy);
            Path segment = Dirs.lastSegment(copy);
            zero(segment, cut, ends[1]);
            try (EventStore es = EventStore.open(copy, CONFIG)) {
                assertEquals(kept, all(es), "cut at " + cut);
                assertEquals(SEGMENT, Files.size(segment), "the pre-allocated size is kept, cut at " + cut);
                assertTrue(isZero(segment, ends[0], SEGMENT), "the torn batch's bytes are zeros now, cut at " + cut);
                es.append(batch("b", 1, Expectation.NONE));
            }
            fsck(copy);
        }
    }

    @Test
    void garbageAfterTheLastBatchIsCutAndTheRestOfTheFileStaysZero() throws Exception {
        Path dir = FileSystems.jimfsDir().resolve("store");
        List<String> kept;
        long end;
        Path copy = dir.resolveSibling("copy");
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            appendUntilPreallocated(es, dir, "warm-up");
            es.append(batch("a", 5, Expectation.ANY));
            kept = all(es);
            end = es.head().activeEnd();
            Dirs.copy(dir, copy);
        }
        byte[] garbage = new byte[3000];
        Arrays.fill(garbage, (byte) 0x5a);
        Dirs.overwrite(Dirs.lastSegment(copy), end, garbage);
        try (EventStore es = EventStore.open(copy, CONFIG)) {
            assertEquals(kept, all(es));
            assertTrue(es.recovered().actions().stream().anyMatch(a -> a.contains("cut 3000 bytes at offset " + end)), es.recovered().actions().toString());
        }
        assertTrue(isZero(Dirs.lastSegment(copy), end, SEGMENT));
    }

    @Test
    void aFooterLeftInTheMiddleByACrashDuringSealingKeepsEveryEvent() throws Exception {
        Path dir = FileSystems.jimfsDir().resolve("store");
        List<String> kept;
        Path copy = dir.resolveSibling("copy");
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            appendUntilPreallocated(es, dir, "warm-up");
            es.append(batch("a", 5, Expectation.ANY));
            kept = all(es);
            long end = es.head().activeEnd();
            Dirs.copy(dir, copy);
            // The footer was written but the truncation that follows it did not reach the disk.
            long first = SegmentName.firstSeq(Dirs.lastSegment(copy));
            Dirs.overwrite(Dirs.lastSegment(copy), end, new SegmentFooter(first, es.head().seq(), es.head().chainHash()).encode().array());
        }
        try (EventStore es = EventStore.open(copy, CONFIG)) {
            assertEquals(kept, all(es));
            es.append(batch("a", 1, new Expectation.Exact(5)));
            assertEquals(kept.size() + 1, all(es).size());
        }
        fsck(copy);
    }

    @Test
    void aSpareHoldingAnythingButZerosIsRewritten() throws Exception {
        Path dir = FileSystems.jimfsDir().resolve("store");
        try (EventStore es = EventStore.open(dir, CONFIG)) {
            es.append(batch("a", 1, Expectation.ANY));
        }
        Path spare = dir.resolve("segments").resolve(SegmentPreallocator.SPARE);
        assertEquals(SEGMENT, Files.size(spare), "a spare is left ready for the next roll");
        Dirs.overwrite(spare, 12_345, "torn by a crash".getBytes(StandardCharsets.US_ASCII));
        DataDirectory data = new DataDirectory(dir);
        try (SegmentPreallocator p = new SegmentPreallocator(data, SEGMENT)) {
            assertTrue(p.awaitReady(30_000));
            assertTrue(isZero(spare, 0, SEGMENT), "the spare was rewritten with zeros");
        }
        fsck(dir); // the spare is not a segment and not a stray file
        try (Stream<Path> s = Files.list(dir.resolve("segments"))) {
            assertEquals(1, s.filter(p -> SegmentName.firstSeq(p) > 0).count());
        }
    }

    private static void zero(Path file, long from, long to) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate((int) (to - from)), from);
        }
    }

    private static boolean isZero(Path file, long from, long to) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) (to - from));
            ch.read(b, from);
            for (int i = 0; i < b.position(); i++) if (b.get(i) != 0) return false;
            return b.position() == to - from;
        }
    }
}
