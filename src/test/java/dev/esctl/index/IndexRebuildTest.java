package dev.esctl.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.StoreConfig;
import dev.esctl.storage.FrameCodec;
import dev.esctl.testing.Stores;
import dev.esctl.testing.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuilding every index from the segments (a restore, fsck --rebuild-index, a deleted index/)
 * reads the log once for the offsets, postings and stream state, plus the id window (the last
 * {@link IdIndex#DEFAULT_WINDOW} events, here the whole log) once more.
 */
class IndexRebuildTest {
    private static final StoreConfig SMALL = StoreConfig.defaults().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);

    @TempDir Path dir;

    @Test
    void aFullRebuildReadsTheLogOnceAndTheIdWindowOnceMore() throws IOException {
        byte[] before;
        long seq;
        try (EventStore es = EventStore.open(dir, SMALL)) {
            for (int i = 0; i < 400; i++) es.append(TestEvents.batch("r/" + (i % 6), 1 + i % 4, Expectation.ANY));
            seq = es.head().seq();
            before = Stores.ndjson(es, ReadQuery.stream("r/3"));
        }
        try (Stream<Path> walk = Files.walk(dir.resolve("index"))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        long checked = FrameCodec.framesChecked();
        try (EventStore es = EventStore.open(dir, SMALL)) {
            long frames = FrameCodec.framesChecked() - checked;
            // One pass, the id window (all of this small log), and recovery's scan of the active segment.
            long window = Math.min(seq, IdIndex.DEFAULT_WINDOW);
            assertTrue(frames < seq + window + seq / 5, frames + " frames checked to rebuild the indexes of " + seq + " events");
            assertArrayEquals(before, Stores.ndjson(es, ReadQuery.stream("r/3")));
        }
    }

    @Test
    void offsetsFilesDeletedAloneAreRebuiltForEverySealedSegment() throws IOException {
        byte[] before;
        try (EventStore es = EventStore.open(dir, SMALL)) {
            for (int i = 0; i < 400; i++) es.append(TestEvents.batch("o/" + (i % 5), 1 + i % 4, Expectation.ANY));
            before = Stores.ndjson(es, ReadQuery.all().from(500).limit(300));
        }
        java.util.List<String> offsets;
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            offsets = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".offsets")).sorted().toList();
        }
        assertTrue(offsets.size() > 3, offsets.toString());
        for (String name : offsets) Files.delete(dir.resolve("index").resolve(name));
        try (EventStore es = EventStore.open(dir, SMALL)) {
            assertArrayEquals(before, Stores.ndjson(es, ReadQuery.all().from(500).limit(300)));
        }
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            assertEquals(offsets, files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".offsets")).sorted().toList(), "every offsets file is back");
        }
    }
}
