package dev.esctl.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.StoreConfig;
import dev.esctl.storage.EventRecord;
import dev.esctl.storage.FrameCodec;
import dev.esctl.testing.Dirs;
import dev.esctl.testing.FileSystems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every read form gives the same result through the indexes as by a brute-force scan of the
 * segments — with the index as written, after deleting index/, after corrupting its files, and
 * after a crash while an index file was being written.
 */
class IndexedReadsTest {
    private static final StoreConfig SMALL = StoreConfig.defaults().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);
    private static final String[] TYPES = {"Opened", "Deposited", "Withdrawn", "Closed"};

    @TempDir Path tmp;

    /** Appends a random workload: nested stream names, random types, batches of 1-20 across streams. */
    static List<String> populate(Path dir, long seed, int batches) throws IOException {
        Random r = new Random(seed);
        List<String> streams = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            streams.add(switch (i % 4) {
                case 0 -> "acct/" + i;
                case 1 -> "acct/" + (i - 1) + "/sub" + (i % 3);
                case 2 -> "orders/" + i;
                default -> "acct";
            });
        }
        try (EventStore es = EventStore.open(dir, SMALL)) {
            for (int b = 0; b < batches; b++) {
                List<NewEvent> events = new ArrayList<>();
                int n = 1 + r.nextInt(20);
                for (int i = 0; i < n; i++) {
                    String s = streams.get(r.nextInt(streams.size()));
                    events.add(new NewEvent(s, TYPES[r.nextInt(TYPES.length)], null,
                            ("{\"b\":" + b + ",\"i\":" + i + ",\"pad\":\"" + "p".repeat(r.nextInt(200)) + "\"}").getBytes(), null));
                }
                es.append(new AppendBatch(events, Map.of(), StoreConfig.DEFAULT_MAX_EVENT_BYTES));
            }
        }
        return streams;
    }

    static List<ReadQuery> queries(long seed, long head) {
        Random r = new Random(seed);
        List<ReadQuery> out = new ArrayList<>();
        String[] targets = {"acct", "acct/4", "acct/4/sub2", "orders/2", "orders", "acct/8", "nope", "acct/4/sub"};
        out.add(ReadQuery.all());
        out.add(ReadQuery.all().backward(true));
        out.add(ReadQuery.all().from(head / 2).limit(37));
        out.add(ReadQuery.all().backward(true).from(head / 3).limit(50));
        out.add(ReadQuery.all().types(Set.of("Closed")));
        for (int i = 0; i < 40; i++) {
            String s = targets[r.nextInt(targets.length)];
            boolean recursive = r.nextBoolean();
            long from = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt((int) (recursive ? head : 40));
            ReadQuery q = new ReadQuery(s, recursive, from, r.nextBoolean() ? Long.MAX_VALUE : 1 + r.nextInt(30), r.nextBoolean(),
                    r.nextInt(3) == 0 ? new java.util.HashSet<>(List.of(TYPES[r.nextInt(TYPES.length)], TYPES[r.nextInt(TYPES.length)])) : Set.of());
            out.add(q);
        }
        return out;
    }

    static List<Long> seqs(EventReader reader) {
        List<Long> out = new ArrayList<>();
        try (reader) {
            for (EventRecord e; (e = reader.next()) != null; ) out.add(e.seq());
        }
        return out;
    }

    /** Every query answered through the index equals the scan; also returns the answers for comparing across opens. */
    static List<List<Long>> checkAgainstScan(EventStore es, List<ReadQuery> queries, String when) {
        List<List<Long>> answers = new ArrayList<>();
        for (ReadQuery q : queries) {
            List<Long> indexed = seqs(es.read(q));
            assertEquals(seqs(es.scan(q)), indexed, when + ": " + q);
            answers.add(indexed);
        }
        return answers;
    }

    @Test
    void everyReadFormEqualsTheScanAcrossDeletionAndCorruptionOfTheIndex() throws IOException {
        for (long seed : new long[] {1, 2, 3}) {
            Path dir = FileSystems.jimfsDir();
            populate(dir, seed, 400);
            List<List<Long>> reference;
            List<ReadQuery> queries;
            try (EventStore es = EventStore.open(dir, SMALL)) {
                assertTrue(Dirs.segments(dir).size() >= 5, "several segments");
                queries = queries(seed, es.head().seq());
                reference = checkAgainstScan(es, queries, "seed " + seed + " as written");
                assertStreamsListed(es);
            }
            try (EventStore ro = EventStore.openReadOnly(dir)) {
                assertEquals(reference, checkAgainstScan(ro, queries, "seed " + seed + " read-only"));
            }
            deleteTree(dir.resolve("index"));
            try (EventStore ro = EventStore.openReadOnly(dir)) {
                assertEquals(reference, checkAgainstScan(ro, queries, "seed " + seed + " read-only without index/"));
            }
            try (EventStore es = EventStore.open(dir, SMALL)) {
                assertEquals(reference, checkAgainstScan(es, queries, "seed " + seed + " after deleting index/"));
                assertTrue(es.index().stats().rebuilds() > 0);
            }
            Random r = new Random(seed);
            for (Path f : indexFiles(dir)) {
                byte[] bytes = Files.readAllBytes(f);
                int at = r.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 << r.nextInt(8));
                Files.write(f, bytes);
            }
            try (EventStore es = EventStore.open(dir, SMALL)) {
                assertEquals(reference, checkAgainstScan(es, queries, "seed " + seed + " after flipping a bit in every index file"));
                assertTrue(es.index().stats().discarded() >= 3, "corrupt files are discarded: " + es.index().stats().discarded());
            }
        }
    }

    private static void assertStreamsListed(EventStore es) {
        List<StreamInfo> all = es.streams("");
        for (int i = 1; i < all.size(); i++) assertTrue(all.get(i - 1).stream().compareTo(all.get(i).stream()) < 0);
        long events = all.stream().mapToLong(StreamInfo::lastVersion).sum();
        assertEquals(es.head().seq(), events, "every event belongs to one listed stream");
        for (StreamInfo s : es.streams("acct/4")) assertTrue(s.stream().startsWith("acct/4"));
        StreamInfo one = es.stream("acct/4");
        List<EventRecord> last = new ArrayList<>();
        try (EventReader r = es.read(ReadQuery.stream("acct/4").backward(true).limit(1))) {
            last.add(r.next());
        }
        assertEquals(one.lastSeq(), last.get(0).seq());
        assertEquals(one.lastVersion(), last.get(0).version());
    }

    @Test
    void aCrashWhileWritingAnIndexFileLeavesAStoreThatOpensCorrectly() throws IOException {
        Path dir = FileSystems.jimfsDir();
        populate(dir, 9, 300);
        List<ReadQuery> queries;
        List<List<Long>> reference;
        try (EventStore es = EventStore.open(dir, SMALL)) {
            queries = queries(9, es.head().seq());
            reference = checkAgainstScan(es, queries, "as written");
        }
        Path index = dir.resolve("index");
        List<Path> runs = indexFiles(dir).stream().filter(p -> p.toString().endsWith(".run")).toList();
        // A temp file cut short, never renamed (crash before the rename) ...
        Path run = runs.get(0);
        byte[] bytes = Files.readAllBytes(run);
        Files.write(index.resolve(run.getFileName() + ".tmp"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        // ... a run whose rename happened but whose content did not reach the disk ...
        Files.write(index.resolve(PostingRun.fileName(1, 5)), new byte[100]);
        // ... and a state file truncated in the middle.
        Path state = index.resolve(StreamStateFile.NAME);
        byte[] s = Files.readAllBytes(state);
        Files.write(state, java.util.Arrays.copyOf(s, s.length - 7));
        try (EventStore es = EventStore.open(dir, SMALL)) {
            assertEquals(reference, checkAgainstScan(es, queries, "after crashes while writing index files"));
        }
        try (Stream<Path> left = Files.list(index)) {
            assertTrue(left.noneMatch(p -> p.toString().endsWith(".tmp")), "temp files are removed");
        }
    }

    @Test
    void startUpAfterACleanShutdownReadsNoFrameOfTheLog(@TempDir Path disk) throws IOException {
        Path dir = disk.resolve("store");
        populate(dir, 4, 300);
        try (EventStore es = EventStore.open(dir, SMALL)) {
            es.append(AppendBatch.toStream(List.of(new NewEvent("x", "T", null, "1".getBytes(), null)), Expectation.ANY, 1024));
        }
        assertTrue(Dirs.segments(dir).size() >= 4);
        int files = indexFiles(dir).size();
        long events;
        try (EventStore ro = EventStore.openReadOnly(dir)) {
            events = ro.head().seq();
        }
        long before = FrameCodec.framesChecked();
        try (EventStore es = EventStore.open(dir, SMALL)) {
            long checked = FrameCodec.framesChecked() - before;
            // One frame per index file (its chain hash is checked against the log) and the last frame.
            assertTrue(checked <= files + 1, "a clean open of " + events + " events checked " + checked + " frames for " + files + " index files");
            assertEquals(0, es.index().stats().replayedEvents());
            assertEquals(1, es.stream("x").lastVersion());
        }
        before = FrameCodec.framesChecked();
        try (EventStore ro = EventStore.openReadOnly(dir)) {
            assertTrue(FrameCodec.framesChecked() - before <= files + 1, "read-only open too");
            assertTrue(ro.streamCount() > 10);
        }
    }

    @Test
    void afterACrashOnlyTheTailIsReplayed() throws IOException {
        Path dir = FileSystems.jimfsDir();
        Path crashed = dir.resolveSibling("crashed");
        populate(dir, 5, 300);
        long head;
        try (EventStore es = EventStore.open(dir, SMALL)) {
            for (int i = 0; i < 50; i++) {
                es.append(AppendBatch.toStream(List.of(new NewEvent("tail", "T", null, ("" + i).getBytes(), null)), Expectation.ANY, 1024));
            }
            head = es.head().seq();
            Dirs.copy(dir, crashed); // as a crash leaves it: no clean-shutdown mark, no final index files
        }
        try (EventStore es = EventStore.open(crashed, SMALL)) {
            long replayed = es.index().stats().replayedEvents();
            assertTrue(replayed > 0 && replayed < head / 3, "replayed " + replayed + " of " + head + " events: only the active segment");
            assertEquals(50, es.stream("tail").lastVersion());
            checkAgainstScan(es, queries(5, head), "after a crash");
        }
    }

    static List<Path> indexFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("index"))) {
            return s.sorted().toList();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
