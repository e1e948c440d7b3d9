package dev.esctl.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.FileSystems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/** Posting cursors over runs and in-memory tables, including two streams that share a hash. */
class PostingCursorTest {
    private static final long H = 0x8000_0000_0000_0001L; // above the signed range: exercises unsigned order
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Stream A (slot 0) has versions 1..5 at seqs 10,12,14,16,18; stream B shares its hash with versions 1..5 at 11,13,15,17,19. */
    private PostingRun sharedHashRun(Path dir) throws IOException {
        RunEntries e = new RunEntries(16);
        e.add(5, 1, 3);
        for (long seq = 10; seq <= 19; seq++) e.add(H, (seq - 10) / 2 + 1, seq);
        e.add(7, 1, 25);
        e.sort();
        return PostingRun.write(dir, 1, 30, new byte[32], e::writeTo);
    }

    private List<Long> drain(PostingCursor c) {
        List<Long> out = new ArrayList<>();
        for (long s; (s = c.next()) >= 0; ) out.add(s);
        return out;
    }

    @Test
    void aSharedHashYieldsEveryCandidateInOrderForTheReaderToFilter() throws IOException {
        Path dir = FileSystems.jimfsDir();
        Files.createDirectories(dir);
        PostingRun run = sharedHashRun(dir);
        IndexView view = new IndexView(List.of(run), List.of(), new ActivePostings(31));
        // Forward from version 4: entries of both streams with version >= 4, in seq order.
        assertEquals(List.of(16L, 17L, 18L, 19L), drain(new PostingCursor(view, lock.readLock(), 0, H, true, false, false, 4)));
        // Backward from version 2: versions <= 2 of both, newest first.
        assertEquals(List.of(13L, 12L, 11L, 10L), drain(new PostingCursor(view, lock.readLock(), 0, H, true, true, false, 2)));
        // By seq from 15 forward, and backward from 12.
        assertEquals(List.of(15L, 16L, 17L, 18L, 19L), drain(new PostingCursor(view, lock.readLock(), 0, H, true, false, true, 15)));
        assertEquals(List.of(12L, 11L, 10L), drain(new PostingCursor(view, lock.readLock(), 0, H, true, true, true, 12)));
    }

    @Test
    void anUnsharedHashIsFoundByBinarySearchAcrossRunsAndTables() throws IOException {
        Path dir = FileSystems.jimfsDir();
        Files.createDirectories(dir);
        RunEntries e1 = new RunEntries(16);
        for (long seq = 1; seq <= 10; seq++) e1.add(seq % 2 == 0 ? 42 : 9, (seq + 1) / 2, seq);
        e1.sort();
        PostingRun r1 = PostingRun.write(dir, 1, 10, new byte[32], e1::writeTo);
        ActivePostings frozen = new ActivePostings(11);
        frozen.add(3, 42, 6, 12);
        ActivePostings active = new ActivePostings(13);
        active.add(3, 42, 7, 14);
        active.add(3, 42, 8, 15);
        IndexView view = new IndexView(List.of(r1), List.of(frozen), active);
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L, 12L, 14L, 15L), drain(new PostingCursor(view, lock.readLock(), 3, 42, false, false, false, 0)));
        assertEquals(List.of(8L, 10L, 12L, 14L, 15L), drain(new PostingCursor(view, lock.readLock(), 3, 42, false, false, false, 4)));
        assertEquals(List.of(12L, 10L, 8L, 6L, 4L, 2L), drain(new PostingCursor(view, lock.readLock(), 3, 42, false, true, false, 6)));
        assertEquals(List.of(15L, 14L, 12L, 10L, 8L, 6L, 4L, 2L), drain(new PostingCursor(view, lock.readLock(), 3, 42, false, true, false, Long.MAX_VALUE)));
        assertEquals(List.of(10L, 12L, 14L, 15L), drain(new PostingCursor(view, lock.readLock(), 3, 42, false, false, true, 9)));
        assertEquals(List.of(14L, 12L, 10L, 8L, 6L, 4L, 2L), drain(new PostingCursor(view, lock.readLock(), 3, 42, false, true, true, 14)));
    }

    @Test
    void radixSortOrdersByUnsignedHashKeepingSeqOrder() {
        RunEntries e = new RunEntries(4);
        long[] hashes = {-1L, 5, Long.MIN_VALUE, 5, 0, -1L};
        for (int i = 0; i < hashes.length; i++) e.add(hashes[i], 1, i + 1);
        e.sort();
        List<String> out = new ArrayList<>();
        try {
            Path dir = FileSystems.jimfsDir();
            Files.createDirectories(dir);
            PostingRun r = PostingRun.write(dir, 1, 6, new byte[32], e::writeTo);
            for (int i = 0; i < r.size(); i++) out.add(Long.toUnsignedString(r.hash(i), 16) + "@" + r.seq(i));
        } catch (IOException x) {
            throw new AssertionError(x);
        }
        assertEquals(List.of("0@5", "5@2", "5@4", "8000000000000000@3", "ffffffffffffffff@1", "ffffffffffffffff@6"), out);
    }
}
