package dev.esctl.check;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.StoreConfig;
import dev.esctl.index.IdIndex;
import dev.esctl.index.IndexFileHeader;
import dev.esctl.index.OffsetIndex;
import dev.esctl.index.PostingRun;
import dev.esctl.index.StreamStateFile;
import dev.esctl.storage.EventRecord;
import dev.esctl.storage.FrameLayout;
import dev.esctl.storage.SegmentLayout;
import dev.esctl.testing.Dirs;
import dev.esctl.testing.Seeds;
import dev.esctl.testing.Stores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fsck against a corruption matrix on a real store of several 64 KiB segments, closed cleanly
 * (so every kind of index file exists and the checkpoint names the last seq): a byte flipped at
 * random positions in every segment, segments truncated, deleted and renamed, index files
 * damaged (bad checksum) and wrong (good checksum, wrong content). Each case must be found and
 * blamed on the right file; --repair must fix damage at the end of the log and refuse damage
 * before it, changing nothing. Seeded: the seed is in every failure message
 * (-Desctl.seed=... replays it).
 */
class StoreCheckerTest {
    private static final StoreConfig SMALL = StoreConfig.defaults().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);
    private static final int FLIPS_PER_SEGMENT = 8;

    @TempDir static Path shared;
    static Path source;
    static long headSeq;
    static List<Path> segments;
    static long seed;

    @TempDir Path tmp;

    @BeforeAll
    static void buildStore() throws IOException {
        seed = Seeds.fromProperty("esctl.seed");
        source = shared.resolve("source");
        Random random = new Random(Seeds.mix(seed));
        try (EventStore es = EventStore.open(source, SMALL)) {
            for (int i = 0; i < 700; i++) {
                List<NewEvent> events = new ArrayList<>();
                int n = 1 + random.nextInt(5);
                for (int k = 0; k < n; k++) {
                    events.add(new NewEvent("acct/" + random.nextInt(30), "Deposited", null,
                            ("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(100 + random.nextInt(150)) + "\"}").getBytes(StandardCharsets.UTF_8),
                            k == 0 ? "{\"by\":\"test\"}".getBytes(StandardCharsets.UTF_8) : null));
                }
                es.append(new AppendBatch(events, Map.of(), SMALL.maxEventBytes()));
            }
            headSeq = es.head().seq();
        }
        segments = Dirs.segments(source);
        assertTrue(segments.size() >= 6, "the matrix needs several segments, got " + segments.size());
    }

    /** A fresh copy of the clean source store. */
    private Path copy(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Dirs.copy(source, dir);
        return dir;
    }

    private record Checked(CheckReport report, String output) {}

    private static Checked check(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CheckReport r = StoreChecker.check(dir, false, true, new PrintStream(bytes, true, StandardCharsets.UTF_8), StoreChecker.Progress.NONE);
        return new Checked(r, bytes.toString(StandardCharsets.UTF_8));
    }

    private static String context(String what, Checked c) {
        return what + " (seed " + seed + "):\n" + c.output();
    }

    /** Some damage is blamed on {@code file} (relative to the data directory), and the printed report names it. */
    private static void assertBlames(Checked c, String file, String what) {
        assertFalse(c.report().clean(), context(what + ": fsck found nothing", c));
        boolean blamed = c.report().problems().stream().anyMatch(p -> p.isDamage() && (p.file().equals(file) || p.message().contains(Path.of(file).getFileName().toString())));
        assertTrue(blamed, context(what + ": no damage names " + file, c));
        assertTrue(c.output().contains(Path.of(file).getFileName().toString()), context(what + ": the output does not name " + file, c));
    }

    private static String seg(Path segment) {
        return "segments/" + segment.getFileName();
    }

    @Test
    void aCleanStoreChecksCleanWithEveryKindOfIndexFileCompared() throws IOException {
        Checked c = check(source);
        assertTrue(c.report().clean(), context("clean store", c));
        assertEquals(0, c.report().noticeCount(), context("no notices either", c));
        assertEquals(headSeq, c.report().headSeq());
        assertEquals(segments.size(), c.report().segments());
        try (EventStore es = EventStore.openReadOnly(source)) {
            assertArrayEquals(es.head().chainHash(), c.report().headHash());
        }
        List<String> index = Stores.names(source.resolve("index"));
        for (String kind : List.of(".offsets", ".run", StreamStateFile.NAME, IdIndex.NAME)) {
            assertTrue(index.stream().anyMatch(n -> n.endsWith(kind)), "the store has a " + kind + " file: " + index);
        }
        assertEquals(index.size(), c.report().indexFiles(), "every index file was compared");
        assertTrue(c.output().contains(": clean"), c.output());
    }

    @Test
    void aByteFlippedAnywhereInAnySegmentIsFoundAndBlamedOnThatSegment() throws IOException {
        Random random = new Random(Seeds.mix(seed ^ 0x5A));
        int tailRepairs = 0;
        for (int s = 0; s < segments.size(); s++) {
            Path original = segments.get(s);
            long size = Files.size(original);
            boolean last = s == segments.size() - 1;
            for (int k = 0; k < FLIPS_PER_SEGMENT; k++) {
                // The first flips hit the header, the footer and the last frame; the rest anywhere.
                long offset = switch (k) {
                    case 0 -> random.nextInt(SegmentLayout.HEADER_BYTES);
                    case 1 -> size - 1 - random.nextInt(last ? 40 : SegmentLayout.FOOTER_BYTES);
                    default -> random.nextLong(size);
                };
                int mask = 1 + random.nextInt(255);
                String what = "segment " + s + " (" + original.getFileName() + ", " + size + " bytes) byte " + offset + " ^ " + mask;
                Path dir = copy("flip-" + s + "-" + k);
                Path segment = dir.resolve(seg(original));
                flip(segment, offset, mask);
                Checked c = check(dir);
                assertBlames(c, seg(original), what);
                if (!last) {
                    assertTrue(c.report().logDamage(), context(what + ": damage in a sealed segment cannot be repaired", c));
                    if (k < 2) assertRepairRefusedAndNothingChanged(dir, c, what);
                } else if (c.report().repairable()) {
                    repairAndRecheck(dir, c, what);
                    tailRepairs++;
                }
            }
        }
        assertTrue(tailRepairs > 0, "some flip in the last frames was repairable tail damage (seed " + seed + ")");
    }

    @Test
    void aSealedSegmentTruncatedInTheMiddleIsDamageThatRepairRefuses() throws IOException {
        Path original = segments.get(segments.size() / 2);
        Path dir = copy("truncate-sealed");
        Dirs.truncate(dir.resolve(seg(original)), Files.size(original) / 2);
        Checked c = check(dir);
        assertBlames(c, seg(original), "sealed segment truncated");
        assertTrue(c.report().logDamage(), context("truncated sealed segment", c));
        assertRepairRefusedAndNothingChanged(dir, c, "truncated sealed segment");
    }

    @Test
    void theLastSegmentTruncatedInTheMiddleIsTailDamageThatRepairCutsBackToTheLastWholeBatch() throws IOException {
        Path original = segments.get(segments.size() - 1);
        Path dir = copy("truncate-last");
        Path last = dir.resolve(seg(original));
        long cutAt = Files.size(original) / 2 + 7;
        Dirs.truncate(last, cutAt);
        Checked c = check(dir);
        assertBlames(c, seg(original), "last segment truncated");
        assertFalse(c.report().logDamage(), context("the truncation is at the end of the log", c));
        TailCut cut = c.report().tailCut();
        assertNotNull(cut, context("a tail cut is offered", c));
        assertTrue(cut.acknowledged(), context("the checkpoint says the lost events were acknowledged", c));
        byte[] cutBytes = Arrays.copyOfRange(Files.readAllBytes(last), (int) cut.offset(), (int) cutAt);
        Path quarantined = repairAndRecheck(dir, c, "last segment truncated");
        assertArrayEquals(cutBytes, Files.readAllBytes(quarantined), "quarantine holds exactly the cut bytes");
        assertEquals(original.getFileName() + "." + cut.offset() + ".cut", quarantined.getFileName().toString());
    }

    @Test
    void aDeletedSegmentIsFoundAndNamedWhereverItWas() throws IOException {
        for (int s : new int[] {0, segments.size() / 2, segments.size() - 1}) {
            Path original = segments.get(s);
            Path dir = copy("delete-" + s);
            Files.delete(dir.resolve(seg(original)));
            Checked c = check(dir);
            assertBlames(c, seg(original), "deleted segment " + s);
            if (s < segments.size() - 1) {
                assertTrue(c.report().logDamage(), context("a missing segment before the end", c));
                assertRepairRefusedAndNothingChanged(dir, c, "deleted segment " + s);
            } else {
                // The checkpoint names events the log no longer holds: --repair can only accept the loss.
                assertTrue(c.report().repairable(), context("the lost last segment", c));
                repairAndRecheck(dir, c, "deleted last segment");
            }
        }
    }

    @Test
    void aRenamedSegmentIsFoundUnderItsNewName() throws IOException {
        Path original = segments.get(2);
        Path dir = copy("rename-stray");
        Files.move(dir.resolve(seg(original)), dir.resolve(seg(original) + ".bak"));
        Checked c = check(dir);
        assertBlames(c, seg(original) + ".bak", "segment renamed to .bak");
        assertBlames(c, seg(original), "segment renamed to .bak: the gap names the missing file");

        Path dir2 = copy("rename-seq");
        Path next = segments.get(3);
        String wrong = String.format("%020d.seg", Long.parseLong(next.getFileName().toString().substring(0, 20)) - 1);
        Files.move(dir2.resolve(seg(original)), dir2.resolve("segments/" + wrong));
        Checked c2 = check(dir2);
        assertBlames(c2, "segments/" + wrong, "segment renamed to another seq");
        assertTrue(c2.report().problems().stream().anyMatch(p -> p.kind() == Problem.Kind.NAME_MISMATCH), context("the name and header disagree", c2));
    }

    @Test
    void anIndexFileWithABadChecksumIsFoundAndRebuilt() throws IOException {
        for (String file : indexFilesOfEachKind()) {
            Path dir = copy("index-crc-" + file);
            Path f = dir.resolve("index").resolve(file);
            flip(f, IndexFileHeader.BYTES + (Files.size(f) - IndexFileHeader.BYTES) / 2, 0x10);
            Checked c = check(dir);
            assertBlames(c, "index/" + file, "flipped body byte of " + file);
            assertTrue(c.report().problems().stream().anyMatch(p -> p.kind() == Problem.Kind.INDEX_CORRUPT), context(file, c));
            assertFalse(c.report().logDamage(), context(file + ": the log is sound", c));
            repairAndRecheck(dir, c, "corrupt " + file);
        }
    }

    @Test
    void anIndexFileWhoseChecksumsHoldButWhoseEntriesAreWrongIsFound() throws IOException {
        Map<String, Consumer<ByteBuffer>> edits = Map.of(
                ".offsets", body -> body.putLong(8, body.getLong(8) + 1),               // entry 0's offset
                ".run", body -> body.putLong(24 * 3 + 8, body.getLong(24 * 3 + 8) + 1),  // entry 3's version
                StreamStateFile.NAME, body -> body.putLong(0, body.getLong(0) ^ 1),      // stream 0's hash
                IdIndex.NAME, body -> body.putLong(16 * 5, body.getLong(16 * 5) ^ 1));   // the id of the 6th seq
        for (String file : indexFilesOfEachKind()) {
            String kind = edits.keySet().stream().filter(file::endsWith).findFirst().orElseThrow();
            Path dir = copy("index-wrong-" + file);
            rewriteBody(dir.resolve("index").resolve(file), edits.get(kind));
            Checked c = check(dir);
            assertBlames(c, "index/" + file, "wrong entry in " + file);
            assertTrue(c.report().problems().stream().anyMatch(p -> p.kind() == Problem.Kind.INDEX_MISMATCH), context(file + ": a disagreement, not a checksum failure", c));
            repairAndRecheck(dir, c, "wrong " + file);
        }
    }

    @Test
    void aTornLastWriteIsANoticeNotDamageAndRepairMovesItToQuarantine() throws IOException {
        Path dir = copy("torn");
        Path last = Dirs.lastSegment(dir);
        long size = Files.size(last);
        // Half a frame, as a crash in the middle of an unforced group write leaves it; the
        // checkpoint still names the last whole batch, so nothing acknowledged is missing.
        byte[] partial = Arrays.copyOfRange(Files.readAllBytes(last), SegmentLayout.HEADER_BYTES, SegmentLayout.HEADER_BYTES + 150);
        Dirs.overwrite(last, size, partial);
        Checked c = check(dir);
        assertTrue(c.report().clean(), context("a torn write is not damage", c));
        assertTrue(c.report().problems().stream().anyMatch(p -> p.kind() == Problem.Kind.TORN_TAIL && p.file().equals(seg(last))), context("but it is reported", c));
        assertEquals(size, c.report().tailCut().offset());
        Path q = repairAndRecheck(dir, c, "torn tail");
        assertArrayEquals(partial, Files.readAllBytes(q));
    }

    @Test
    void aStoreBeingWrittenChecksCleanReadOnly() throws Exception {
        Path dir = copy("live");
        try (EventStore es = EventStore.open(dir, SMALL)) {
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 300; i++) es.append(dev.esctl.testing.TestEvents.batch("live/" + (i % 5), 1 + i % 3, dev.esctl.engine.Expectation.ANY));
            });
            for (int i = 0; i < 3; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                CheckReport r = StoreChecker.check(dir, true, true, new PrintStream(out, true, StandardCharsets.UTF_8), StoreChecker.Progress.NONE);
                assertTrue(r.clean(), "live check " + i + ":\n" + out);
                assertTrue(r.headSeq() >= headSeq);
            }
            writer.join();
        }
        assertTrue(check(dir).report().clean());
    }

    // ---- helpers -------------------------------------------------------------------------

    private static List<String> indexFilesOfEachKind() throws IOException {
        List<String> names = Stores.names(source.resolve("index"));
        List<String> picked = new ArrayList<>();
        for (String kind : List.of(".offsets", ".run", StreamStateFile.NAME, IdIndex.NAME)) {
            picked.add(names.stream().filter(n -> n.endsWith(kind)).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " in " + names)));
        }
        return picked;
    }

    private static void flip(Path file, long offset, int mask) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= (byte) mask;
        Files.write(file, b);
    }

    /** Edits an index file's body and fixes both checksums, so only a comparison with the log can tell. */
    private static void rewriteBody(Path file, Consumer<ByteBuffer> edit) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long magic = b.getLong(0);
        assertTrue(magic == OffsetIndex.MAGIC || magic == PostingRun.MAGIC || magic == StreamStateFile.MAGIC || magic == IdIndex.MAGIC);
        IndexFileHeader h = IndexFileHeader.decode(b, magic);
        ByteBuffer body = b.slice(IndexFileHeader.BYTES, all.length - IndexFileHeader.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        edit.accept(body);
        CRC32C crc = new CRC32C();
        crc.update(all, IndexFileHeader.BYTES, all.length - IndexFileHeader.BYTES);
        IndexFileHeader fixed = new IndexFileHeader(h.magic(), h.firstSeq(), h.lastSeq(), h.count(), h.extra(), h.bodyLength(), (int) crc.getValue(), h.chainHash());
        fixed.encode().get(0, all, 0, IndexFileHeader.BYTES);
        Files.write(file, all);
    }

    private static void assertRepairRefusedAndNothingChanged(Path dir, Checked c, String what) throws IOException {
        String before = Stores.treeDigest(dir);
        assertFalse(c.report().repairable(), context(what + ": not repairable", c));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TailRepair.apply(dir, c.report(), new PrintStream(OutputStream.nullOutputStream())));
        assertTrue(e.getMessage().contains("snapshot"), e.getMessage());
        assertEquals(before, Stores.treeDigest(dir), what + ": a refused repair changes nothing");
    }

    /**
     * Repairs as fsck --repair does (cut, reset the checkpoint, drop the indexes, rebuild them by
     * opening), checks again, and compares every remaining event with the source's; returns the
     * quarantine file (null when nothing was cut).
     */
    private static Path repairAndRecheck(Path dir, Checked c, String what) throws IOException {
        Path quarantined = TailRepair.apply(dir, c.report(), new PrintStream(OutputStream.nullOutputStream()));
        long expectedSeq = c.report().tailCut() == null ? headSeq : c.report().tailCut().lastSeq();
        try (EventStore es = EventStore.open(dir, SMALL)) {
            assertEquals(expectedSeq, es.head().seq(), what + ": the repaired log ends at the last good batch");
        }
        Checked after = check(dir);
        assertTrue(after.report().clean(), context(what + ": clean after the repair", after));
        try (EventStore repaired = EventStore.openReadOnly(dir); EventStore original = EventStore.openReadOnly(source)) {
            assertArrayEquals(Stores.firstEvents(original, expectedSeq), Stores.ndjson(repaired, ReadQuery.all()), what + ": the events that remain are the source's");
            assertArrayEquals(chainHashAt(original, expectedSeq), repaired.head().chainHash(), what + ": and so is the head hash");
        }
        if (c.report().tailCut() != null && c.report().tailCut().bytes() > 0) {
            assertNotNull(quarantined);
            assertTrue(Files.exists(quarantined), what);
        }
        return quarantined;
    }

    private static byte[] chainHashAt(EventStore store, long seq) {
        if (seq == 0) return new byte[FrameLayout.HASH_BYTES];
        try (EventReader r = store.read(ReadQuery.all().from(seq).limit(1))) {
            EventRecord e = r.next();
            return e.chainHash();
        }
    }
}
