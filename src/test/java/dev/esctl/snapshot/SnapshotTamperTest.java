package dev.esctl.snapshot;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.StoreConfig;
import dev.esctl.testing.Seeds;
import dev.esctl.testing.Stores;
import dev.esctl.testing.TestEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot that is cut short or altered is refused with a sentence saying so, and restore
 * leaves no directory behind — neither the target nor its temporary sibling. Seeded (the seed
 * is in every failure message; -Desctl.seed=... replays it).
 */
class SnapshotTamperTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir static Path shared;
    static byte[] good;
    static SnapshotManifest manifest;
    static long seed;

    @TempDir Path tmp;

    @BeforeAll
    static void takeSnapshot() throws IOException {
        seed = Seeds.fromProperty("esctl.seed");
        Path source = shared.resolve("source");
        try (EventStore store = EventStore.open(source, StoreConfig.defaults().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE))) {
            for (int i = 0; i < 330; i++) store.append(TestEvents.batch("s/" + (i % 4), 1 + i % 3, Expectation.ANY));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            manifest = SnapshotWriter.write(store, out, SnapshotWriter.Progress.NONE);
            good = out.toByteArray();
        }
        assertTrue(manifest.files().size() >= 4, "several segments: " + manifest.files());
    }

    /** Restores {@code bytes} into tmp/target; returns the refusal, or null when it was accepted. */
    private BadSnapshotException restore(byte[] bytes, String what) throws IOException {
        Path target = tmp.resolve("target");
        try {
            SnapshotRestore.restore(new ByteArrayInputStream(bytes), target, false, QUIET, SnapshotRestore.Progress.NONE);
        } catch (BadSnapshotException e) {
            assertFalse(Files.exists(target), what + ": a refused restore leaves no target (seed " + seed + ")");
            assertEquals(List.of(), Stores.names(tmp), what + ": and no temporary directory (seed " + seed + ")");
            return e;
        }
        String restored = Stores.treeDigest(target.resolve("segments"));
        SnapshotRestore.deleteTree(target);
        assertEquals(expectedSegments(), restored, what + ": accepted, so it must have restored exactly the snapshot's segments (seed " + seed + ")");
        return null;
    }

    /** The segments as the snapshot holds them (the last one up to the cut). */
    private static String expectedSegments() throws IOException {
        StringBuilder b = new StringBuilder();
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            if (!f.name().startsWith(SnapshotWriter.SEGMENTS_DIR)) continue;
            b.append(f.name().substring(SnapshotWriter.SEGMENTS_DIR.length())).append(' ').append(f.sha256()).append('\n');
        }
        return b.toString();
    }

    /** Where the manifest's bytes end in the archive: everything before is content. */
    private static int manifestEnd() {
        byte[] json = manifest.toJson();
        for (int i = good.length - json.length; i >= 0; i--) {
            if (Arrays.equals(good, i, i + json.length, json, 0, json.length)) return i + json.length;
        }
        throw new AssertionError("the manifest is not in the archive");
    }

    @Test
    void theGoodSnapshotRestores() throws IOException {
        assertNull(restore(good, "untouched"));
    }

    @Test
    void aSnapshotCutShortAnywhereBeforeTheEndOfItsManifestIsRefused() throws IOException {
        Random random = new Random(Seeds.mix(seed));
        int end = manifestEnd();
        List<Integer> cuts = new ArrayList<>(List.of(0, 1, 100, 511, 512, 513, 1024, end - 1, end - manifest.toJson().length - 1, end - manifest.toJson().length - 512));
        for (int i = 0; i < 40; i++) cuts.add(random.nextInt(end));
        for (int cut : cuts) {
            String what = "cut at byte " + cut + " of " + good.length;
            BadSnapshotException e = restore(Arrays.copyOf(good, cut), what);
            assertNotNull(e, what + ": accepted (seed " + seed + ")");
            String m = e.getMessage();
            assertTrue(m.contains("truncated") || m.contains("incomplete") || m.contains("empty"), what + ": the message says so: " + m);
        }
    }

    @Test
    void aFlippedByteInAnySegmentIsRefusedAsNotMatchingTheManifest() throws IOException {
        Random random = new Random(Seeds.mix(seed ^ 1));
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            if (!f.name().startsWith(SnapshotWriter.SEGMENTS_DIR)) continue;
            int start = segmentStart(f);
            for (int k = 0; k < 3; k++) {
                int at = start + random.nextInt((int) f.length());
                byte[] bad = good.clone();
                bad[at] ^= (byte) (1 + random.nextInt(255));
                String what = f.name() + " byte " + (at - start);
                BadSnapshotException e = restore(bad, what);
                assertNotNull(e, what + ": accepted (seed " + seed + ")");
                assertTrue(e.getMessage().contains(f.name()) && e.getMessage().contains("SHA-256"), what + ": " + e.getMessage());
            }
        }
    }

    @Test
    void aFlippedByteAnywhereIsRefusedOrChangesNothingRestored() throws IOException {
        Random random = new Random(Seeds.mix(seed ^ 2));
        int end = manifestEnd(), refused = 0, n = 60;
        for (int i = 0; i < n; i++) {
            int at = random.nextInt(end);
            byte[] bad = good.clone();
            bad[at] ^= (byte) (1 + random.nextInt(255));
            // Refused, or the flip hit a byte that carries nothing restore keeps (a tar mtime, padding).
            if (restore(bad, "byte " + at + " flipped") != null) refused++;
        }
        assertTrue(refused > n / 2, refused + " of " + n + " flips refused (seed " + seed + ")");
    }

    @Test
    void anAlteredManifestOrPreambleIsRefused() throws IOException {
        String json = new String(manifest.toJson(), StandardCharsets.UTF_8);
        SnapshotManifest.FileEntry seg = manifest.files().get(1);
        String otherSha = "0".repeat(64);
        assertRefused(replaceEntry(SnapshotWriter.MANIFEST, json.replace(seg.sha256(), otherSha)), "SHA-256", "a segment hash changed in the manifest");
        assertRefused(replaceEntry(SnapshotWriter.MANIFEST, json.replace("\"cutSeq\" : " + manifest.cutSeq(), "\"cutSeq\" : " + (manifest.cutSeq() - 1))),
                "another cut", "the cut seq changed in the manifest");
        assertRefused(replaceEntry(SnapshotWriter.MANIFEST, "{}"), "not an esctl snapshot description", "an empty manifest");
        assertRefused(replaceEntry(SnapshotWriter.MANIFEST, json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 9")), "newer than this esctl", "a future format");
        SnapshotManifest.FileEntry last = manifest.files().get(manifest.files().size() - 1);
        assertRefused(replaceEntry(SnapshotWriter.MANIFEST, json.replace("\"length\" : " + last.length(), "\"length\" : " + (last.length() + 1))),
                "bytes", "a length changed in the manifest");
    }

    @Test
    void entriesThatDoNotBelongAreRefused() throws IOException {
        assertRefused(archive(List.of(new Entry("../../etc/passwd", "x"))), "not an esctl snapshot", "path traversal as the first entry");
        assertRefused(withExtra(new Entry("segments/../../evil.seg", "x")), "unexpected entry", "path traversal among the segments");
        assertRefused(withExtra(new Entry("index/streams.state", "x")), "unexpected entry", "an entry restore does not know");
        assertRefused(appendAfterManifest(new Entry("late.txt", "x")), "follow manifest.json", "an entry after the manifest");
        assertRefused("this is not a tar file at all, just text that happens to be long enough to fill a header".repeat(20).getBytes(StandardCharsets.UTF_8),
                "not an esctl snapshot", "a text file");
        assertRefused(new byte[0], "empty", "an empty file");
        assertRefused(new byte[10240], "empty", "zeros (an empty tar)");
    }

    private void assertRefused(byte[] bytes, String expected, String what) throws IOException {
        BadSnapshotException e = restore(bytes, what);
        assertNotNull(e, what + ": accepted");
        assertTrue(e.getMessage().contains(expected), what + ": expected '" + expected + "' in: " + e.getMessage());
    }

    // ---- building altered archives --------------------------------------------------------

    private record Entry(String name, byte[] content) {
        Entry(String name, String content) {
            this(name, content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The entries of the good snapshot, in order. */
    private static List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(good))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) out.add(new Entry(e.getName(), tar.readAllBytes()));
        }
        return out;
    }

    private static byte[] archive(List<Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t = new TarArchiveEntry(e.name(), true);
                t.setSize(e.name().endsWith("/") ? 0 : e.content().length);
                tar.putArchiveEntry(t);
                if (!e.name().endsWith("/")) tar.write(e.content());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] replaceEntry(String name, String content) throws IOException {
        List<Entry> all = new ArrayList<>(entries());
        all.replaceAll(e -> e.name().equals(name) ? new Entry(name, content) : e);
        return archive(all);
    }

    private static byte[] withExtra(Entry extra) throws IOException {
        List<Entry> all = new ArrayList<>(entries());
        all.add(all.size() - 1, extra);
        return archive(all);
    }

    private static byte[] appendAfterManifest(Entry extra) throws IOException {
        List<Entry> all = new ArrayList<>(entries());
        all.add(extra);
        return archive(all);
    }

    /** Where a segment's bytes start in the archive: its header names its first seq, so it is unique. */
    private static int segmentStart(SnapshotManifest.FileEntry f) throws IOException {
        byte[] head = null;
        for (Entry e : entries()) if (e.name().equals(f.name())) head = Arrays.copyOf(e.content(), 64);
        for (int i = 0; i + 64 <= good.length; i += 512) {
            if (Arrays.equals(good, i, i + 64, head, 0, 64)) return i;
        }
        throw new AssertionError(f.name() + " is not in the archive");
    }
}
