package dev.esctl.storage;

import static dev.esctl.testing.TestEvents.batch;
import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.AppendResult;
import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.StoreConfig;
import dev.esctl.testing.Dirs;
import dev.esctl.testing.FileSystems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Recovery bugs the crash campaign found, each reduced to the smallest state that shows it;
 * the seed that found it is in the Javadoc.
 */
class RecoveryCrashRegressionTest {
    private static final StoreConfig SMALL = StoreConfig.defaults().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);

    private static long count(EventStore es) {
        long n = 0;
        try (EventReader r = es.read(ReadQuery.all())) {
            while (r.next() != null) n++;
        }
        return n;
    }

    /** A store of 300 one-event batches to stream "s" in 64 KiB segments, whose newest segment's creation was interrupted. */
    private static long withInterruptedSegmentCreation(Path dir) throws IOException {
        try (EventStore es = EventStore.open(dir, SMALL)) {
            for (int i = 0; i < 300; i++) es.append(batch("s", 1, Expectation.ANY));
        }
        List<Path> segments = Dirs.segments(dir);
        Path last = segments.get(segments.size() - 1);
        // The machine stopped while the writer created the next segment: the file exists, its header never reached the disk.
        Files.write(last, new byte[0]);
        return SegmentName.firstSeq(last) - 1;
    }

    /**
     * Found by the crash campaign (seed 7622823025025686815): recovery removed the empty
     * segment but described the log as ending at byte 0 of the last sealed segment, so the
     * stream table was rebuilt without that segment's events and later appends reused their
     * versions (and a read-only open did not show them).
     */
    @Test
    void afterAnInterruptedSegmentCreationTheLastSealedSegmentStillCounts() throws IOException {
        Path dir = FileSystems.jimfsDir();
        long lastSealedSeq = withInterruptedSegmentCreation(dir);
        try (EventStore ro = EventStore.openReadOnly(dir)) {
            assertEquals(lastSealedSeq, ro.head().seq());
            assertEquals(lastSealedSeq, count(ro), "a read-only open reads every event of the sealed segments");
            assertEquals(lastSealedSeq, ro.stream("s").lastVersion());
        }
        try (EventStore es = EventStore.open(dir, SMALL)) {
            assertEquals(lastSealedSeq, es.stream("s").lastVersion(), "the stream table counts the last sealed segment");
            AppendResult r = es.append(batch("s", 1, new Expectation.Exact(lastSealedSeq)));
            assertEquals(lastSealedSeq + 1, r.firstSeq());
            assertEquals(lastSealedSeq + 1, r.streams().get(0).firstVersion());
        }
    }
}
