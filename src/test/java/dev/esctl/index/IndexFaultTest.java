package dev.esctl.index;

import static dev.esctl.testing.TestEvents.batch;
import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.StoreConfig;
import dev.esctl.testing.crashfs.CrashFileSystem;
import dev.esctl.testing.crashfs.Fault;
import dev.esctl.testing.crashfs.FaultError;
import dev.esctl.testing.crashfs.OpKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Index files are derived: when writing them fails, the store keeps appending and reading
 * from memory, says so (maintenance failure), and the next open rebuilds them from the log.
 */
class IndexFaultTest {
    private static final StoreConfig SMALL = StoreConfig.defaults().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);

    @Test
    void aFailingIndexDirectoryNeitherStopsTheWriterNorChangesAnyRead() throws Exception {
        for (OpKind kind : List.of(OpKind.WRITE, OpKind.FORCE, OpKind.CREATE, OpKind.RENAME)) {
            try (CrashFileSystem fs = CrashFileSystem.create(kind.ordinal())) {
                Path dir = fs.getPath("/store");
                List<List<Long>> reference;
                List<ReadQuery> queries;
                long appended = 0;
                try (EventStore es = EventStore.open(dir, SMALL)) {
                    fs.inject(Fault.persistent(kind, 1, FaultError.EIO).onPathsContaining("/index/"));
                    for (int i = 0; i < 400; i++) appended += es.append(batch("s/" + (i % 9), 1 + i % 3, Expectation.ANY)).count();
                    assertNull(es.writerFailure(), kind + ": the writer goes on");
                    es.index().closeCleanly(es.head()); // waits for the background writes (and fails like them)
                } catch (java.io.IOException expected) {
                    // Closing cleanly writes index files too; with the fault that fails, and the store says so.
                }
                fs.clearFaults();
                try (EventStore es = EventStore.open(dir, SMALL)) {
                    assertEquals(appended, es.head().seq(), kind + ": every event is there");
                    queries = IndexedReadsTest.queries(kind.ordinal(), es.head().seq());
                    reference = IndexedReadsTest.checkAgainstScan(es, queries, kind + " after the index failed");
                    assertNotNull(reference);
                }
            }
        }
    }

    @Test
    void theFailureIsReported() throws Exception {
        try (CrashFileSystem fs = CrashFileSystem.create(3)) {
            try (EventStore es = EventStore.open(fs.getPath("/store"), SMALL)) {
                fs.inject(Fault.persistent(OpKind.WRITE, 1, FaultError.ENOSPC).onPathsContaining("/index/"));
                for (int i = 0; i < 400 && es.index().maintenanceFailure() == null; i++) es.append(batch("s", 3, Expectation.ANY));
                for (int i = 0; i < 100 && es.index().maintenanceFailure() == null; i++) Thread.sleep(20);
                assertNotNull(es.index().maintenanceFailure());
                assertTrue(es.index().maintenanceFailure().contains("No space left"), es.index().maintenanceFailure());
                assertEquals(1, es.index().stats().failures() > 0 ? 1 : 0);
                fs.clearFaults();
            }
        }
    }
}
