package dev.esctl.engine;

import dev.esctl.storage.LogHead;
import dev.esctl.storage.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import dev.esctl.index.StoreIndex;
import java.util.stream.Stream;

/**
 * What a store is, as of one moment: head (seq, hash, time), counts and sizes, settings and
 * writer health. Shown by {@code esctl stat} and {@code GET /info}.
 */
public record StoreFacts(
        String dataDir,
        long headSeq,
        String headHash,
        long headTimeMicros,
        int streams,
        int segments,
        long segmentBytes,
        int indexFiles,
        long indexBytes,
        int indexRuns,
        String fsync,
        boolean readOnly,
        int idWindow,
        String writerFailure,
        String indexFailure,
        long openMillis,
        WriterCounts writer,
        IndexCounts index,
        Recovery recovery) {

    /** The writer's counters since the store was opened. */
    public record WriterCounts(long batches, long events, long bytes, long groups, long fsyncs, double fsyncSeconds,
                               long conflicts, long replays, long overloads, int queueDepth) {}

    /** What the indexes went through since the store was opened (rebuilds and discards happen at open). */
    public record IndexCounts(long rebuilds, long discarded, long runsWritten, long merges, long failures, long replayedEvents) {}

    /** What recovery did when the store was opened: bytes cut from a torn tail, and every action as a sentence. */
    public record Recovery(long cutBytes, java.util.List<String> actions) {}

    public static StoreFacts of(EventStore store) {
        LogHead head = store.head();
        long segmentBytes = 0;
        for (Segment s : head.segments()) segmentBytes += size(s.path());
        int indexFiles = 0;
        long indexBytes = 0;
        try (Stream<Path> files = Files.list(store.directory().indexDir())) {
            for (Path p : files.toList()) {
                indexFiles++;
                indexBytes += size(p);
            }
        } catch (IOException e) {
            // No index directory (a read-only store that never had one): zero files.
        }
        WriterStats w = store.stats();
        return new StoreFacts(store.directory().root().toAbsolutePath().toString(), head.seq(), HexFormat.of().formatHex(head.chainHash()),
                head.timeMicros(), store.streamCount(), head.segments().size(), segmentBytes, indexFiles, indexBytes,
                store.index().runCount(), store.readOnly() ? null : store.config().fsync().toString(), store.readOnly(), store.index().idWindow(),
                store.writerFailure() == null ? null : store.writerFailure().getMessage(), store.index().maintenanceFailure(),
                store.openNanos() / 1_000_000,
                new WriterCounts(w.batches(), w.events(), w.bytes(), w.groups(), w.forces(), w.forceNanos() / 1e9, w.conflicts(), w.replays(), w.overloads(), store.writeQueueDepth()),
                indexCounts(store.index().stats()),
                new Recovery(store.recovered().cutBytes(), List.copyOf(store.recovered().actions())));
    }

    private static IndexCounts indexCounts(StoreIndex.IndexStats s) {
        return new IndexCounts(s.rebuilds(), s.discarded(), s.runsWritten(), s.merges(), s.failures(), s.replayedEvents());
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
