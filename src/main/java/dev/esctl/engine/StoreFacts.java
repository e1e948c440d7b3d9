package dev.esctl.engine;

import dev.esctl.storage.LogHead;
import dev.esctl.storage.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
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
        WriterCounts writer) {

    /** The writer's counters since the store was opened. */
    public record WriterCounts(long batches, long events, long bytes, long groups, long fsyncs, long conflicts,
                               long replays, long overloads, int queueDepth) {}

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
                store.index().runCount(), store.config().fsync().toString(), store.readOnly(), store.index().idWindow(),
                store.writerFailure() == null ? null : store.writerFailure().getMessage(), store.index().maintenanceFailure(),
                store.openNanos() / 1_000_000,
                new WriterCounts(w.batches(), w.events(), w.bytes(), w.groups(), w.forces(), w.conflicts(), w.replays(), w.overloads(), store.writeQueueDepth()));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
