package dev.esctl.engine;

import static dev.esctl.testing.TestEvents.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.FileSystems;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A batch sent again with the same ids is answered with the original result, never appended twice. */
class IdempotentRetryTest {
    private static AppendBatch batchWithIds(List<UUID> ids, String stream, String data) {
        List<NewEvent> events = new ArrayList<>();
        for (UUID id : ids) events.add(new NewEvent(stream, "T", id, data.getBytes(), null));
        return new AppendBatch(events, Map.of(), StoreConfig.DEFAULT_MAX_EVENT_BYTES);
    }

    private static List<UUID> ids(int n) {
        List<UUID> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(UUID.randomUUID());
        return out;
    }

    @Test
    void aRetriedBatchReturnsTheOriginalResultAsAReplayAlsoAfterARestart() throws IOException {
        Path dir = FileSystems.jimfsDir();
        List<UUID> ids = ids(3);
        AppendResult original;
        try (EventStore es = EventStore.open(dir, StoreConfig.defaults())) {
            es.append(batch("other", 2, Expectation.ANY));
            original = es.append(batchWithIds(ids, "s", "{\"a\":1}"));
            es.append(batch("other", 1, Expectation.ANY));
            AppendResult again = es.append(batchWithIds(ids, "s", "{\"a\":1}"));
            assertTrue(again.replay());
            assertEquals(original.asReplay(), again);
            assertEquals(6, es.head().seq(), "nothing appended twice");
        }
        try (EventStore es = EventStore.open(dir, StoreConfig.defaults())) {
            assertEquals(original.asReplay(), es.append(batchWithIds(ids, "s", "{\"a\":1}")), "after a clean restart");
        }
        Path crashed = dir.resolveSibling("crashed");
        try (EventStore es = EventStore.open(dir, StoreConfig.defaults())) {
            es.append(batch("more", 1, Expectation.ANY));
            dev.esctl.testing.Dirs.copy(dir, crashed);
        }
        try (EventStore es = EventStore.open(crashed, StoreConfig.defaults())) {
            assertEquals(original.asReplay(), es.append(batchWithIds(ids, "s", "{\"a\":1}")), "after a crash (ids rebuilt from the log)");
            assertEquals(7, es.head().seq());
        }
    }

    @Test
    void generatedIdsAreIndexedSoTheSameObjectsOrTheIdsReadBackReplay() throws IOException {
        try (EventStore es = EventStore.open(FileSystems.jimfsDir(), StoreConfig.defaults())) {
            // An in-process caller retrying the very same objects: their ids were made up at construction.
            AppendBatch retried = new AppendBatch(List.of(new NewEvent("s", "T", null, "1".getBytes(), null)), Map.of(), StoreConfig.DEFAULT_MAX_EVENT_BYTES);
            AppendResult first = es.append(retried);
            assertEquals(first.asReplay(), es.append(retried));
            // A fresh id (the wire parser's) is still indexed: sending it back, as read, is a replay too.
            NewEvent fresh = NewEvent.parsed(null, "t", "T", null, "2".getBytes(), null);
            AppendResult second = es.append(new AppendBatch(List.of(fresh), Map.of(), StoreConfig.DEFAULT_MAX_EVENT_BYTES));
            assertEquals(second.asReplay(), es.append(batchWithIds(List.of(fresh.id()), "t", "2")));
            assertEquals(2, es.head().seq(), "nothing appended twice");
        }
    }

    @Test
    void aRetryWinsOverItsOwnExpectation() throws IOException {
        try (EventStore es = EventStore.open(FileSystems.jimfsDir(), StoreConfig.defaults())) {
            List<UUID> ids = ids(1);
            NewEvent e = new NewEvent("s", "T", ids.get(0), "1".getBytes(), null);
            AppendResult first = es.append(AppendBatch.toStream(List.of(e), Expectation.NONE, 1 << 20));
            AppendResult retry = es.append(AppendBatch.toStream(List.of(e), Expectation.NONE, 1 << 20));
            assertEquals(first.asReplay(), retry, "the stream exists now, but this is the batch that created it");
        }
    }

    @Test
    void reusingAnIdForOtherContentOrMixedWithNewIdsIsRefused() throws IOException {
        try (EventStore es = EventStore.open(FileSystems.jimfsDir(), StoreConfig.defaults())) {
            List<UUID> ids = ids(2);
            es.append(batchWithIds(ids, "s", "1"));
            IdReusedException other = assertThrows(IdReusedException.class, () -> es.append(batchWithIds(ids, "s", "2")));
            assertEquals(1, other.seq());
            assertTrue(other.getMessage().contains(ids.get(0).toString()), other.getMessage());
            List<UUID> mixed = List.of(UUID.randomUUID(), ids.get(1));
            assertThrows(IdReusedException.class, () -> es.append(batchWithIds(mixed, "s", "1")));
            assertThrows(IdReusedException.class, () -> es.append(batchWithIds(ids.subList(0, 1), "s", "1")), "part of a batch is not that batch");
            assertThrows(IdReusedException.class, () -> es.append(batchWithIds(ids.subList(1, 2), "s", "1")), "the end of a batch is not that batch");
            assertEquals(2, es.head().seq());
        }
    }

    @Test
    void duplicatesInFlightTogetherAreAppendedOnce() throws Exception {
        try (EventStore es = EventStore.open(FileSystems.jimfsDir(), StoreConfig.defaults())) {
            for (int round = 0; round < 50; round++) {
                List<UUID> ids = ids(2);
                List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
                for (int i = 0; i < 4; i++) futures.add(es.appendAsync(batchWithIds(ids, "r", "{\"round\":" + round + "}")));
                List<AppendResult> results = new ArrayList<>();
                for (CompletableFuture<AppendResult> f : futures) results.add(f.get());
                assertEquals(1, results.stream().filter(r -> !r.replay()).count(), "exactly one original in round " + round);
                for (AppendResult r : results) assertEquals(results.get(0).firstSeq(), r.firstSeq());
            }
            assertEquals(100, es.head().seq());
        }
    }
}
