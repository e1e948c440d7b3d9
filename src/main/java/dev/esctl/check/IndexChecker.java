package dev.esctl.check;

import static dev.esctl.check.Problem.Kind.*;
import static dev.esctl.check.Problem.Scope.INDEX;

import dev.esctl.index.CorruptIndexException;
import dev.esctl.index.IdIndex;
import dev.esctl.index.IndexFile;
import dev.esctl.index.IndexFileHeader;
import dev.esctl.index.OffsetIndex;
import dev.esctl.index.PostingRun;
import dev.esctl.index.StreamHash;
import dev.esctl.index.StreamStateFile;
import dev.esctl.index.StreamTable;
import dev.esctl.storage.DataDirectory;
import dev.esctl.storage.FrameCodec;
import dev.esctl.storage.FrameLayout;
import dev.esctl.storage.SegmentLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks that every index file agrees with the segments. Each file is read and verified on its
 * own first (header and body checksums, shape, order), then compared with the log as
 * {@link LogChecker} walks it, frame by frame, in one pass:
 * <ul>
 *   <li>{@code <first>.offsets}: every entry names the offset where its seq's frame starts;
 *   the header's data end is where the frame of its last seq ends;</li>
 *   <li>{@code streams-<a>-<b>.run}: exactly one entry per event a..b, sorted by (hash, seq),
 *   and the multiset of (stream hash, version, seq) equals the events' — compared as two
 *   64-bit order-independent sums of mixed entries, so memory stays constant however long the
 *   run (a wrong entry changes a sum unless a 2^-64-ish collision happens; a bad file is named,
 *   not its entry);</li>
 *   <li>{@code streams.state}: when the walk passes its seq, every stream's last version and
 *   last seq equal the walk's own stream table, and no stream is missing;</li>
 *   <li>{@code ids}: the id of every event in its window;</li>
 *   <li>each file's chain hash equals the chain hash of its last seq (it was made for this
 *   history of the log).</li>
 * </ul>
 * The layouts are read here independently of the index code (only the header and checksum
 * code is shared), so a bug there shows up as a disagreement. Over seqs the walk could not
 * check (damaged segments), files are reported as unchecked, not as wrong. Reads only.
 * Not thread-safe.
 */
final class IndexChecker {
    private static final int DETAILS_PER_FILE = 3;

    private final DataDirectory dir;
    private final boolean live;
    private final Findings findings;
    private final Map<Long, OffsetsCheck> offsets = new HashMap<>();
    private final List<RunCheck> runs = new ArrayList<>();
    private final Map<Long, List<FileCheck>> hashChecks = new HashMap<>();
    private final List<FileCheck> all = new ArrayList<>();
    private final List<long[]> unverified = new ArrayList<>();
    private final byte[] hash = new byte[FrameLayout.HASH_BYTES];
    private StateCheck state;
    private IdsCheck ids;
    private long currentSegment = -1;
    private OffsetsCheck currentOffsets;

    IndexChecker(DataDirectory dir, boolean live, Findings findings) {
        this.dir = dir;
        this.live = live;
        this.findings = findings;
    }

    int filesChecked() {
        return all.size();
    }

    /** Reads and verifies every file in index/ on its own. */
    void load() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.indexDir())) {
            files = s.sorted().toList();
        } catch (NoSuchFileException e) {
            return;
        }
        for (Path p : files) {
            String n = p.getFileName().toString();
            String rel = "index/" + n;
            try {
                if (n.endsWith(IndexFile.TEMP_SUFFIX)) {
                    findings.notice(INDEX, INDEX_STRAY, rel, -1, -1, "a temporary file left by an interrupted index write; the next open for writing removes it");
                } else if (n.matches("\\d{20}\\.offsets")) {
                    loadOffsets(p, rel, Long.parseLong(n.substring(0, 20)));
                } else if (n.matches("streams-\\d{20}-\\d{20}\\.run")) {
                    loadRun(p, rel);
                } else if (n.equals(StreamStateFile.NAME)) {
                    loadState(p, rel);
                } else if (n.equals(IdIndex.NAME)) {
                    loadIds(p, rel);
                } else {
                    findings.notice(INDEX, INDEX_STRAY, rel, -1, -1, "not a file esctl writes; the store ignores it");
                }
            } catch (CorruptIndexException e) {
                String m = e.getMessage().startsWith(n + ": ") ? e.getMessage().substring(n.length() + 2) : e.getMessage();
                findings.damage(INDEX, INDEX_CORRUPT, rel, -1, -1, m + "; the store discards it and rebuilds it from the segments");
            } catch (NoSuchFileException e) {
                // Replaced by a running daemon (a merge) after the listing: there is nothing left to check.
                if (!live) throw e;
            }
        }
    }

    /** What every index file shares: its name, the seq it is valid up to, and whether it failed already. */
    private abstract class FileCheck {
        final String rel;
        final IndexFileHeader header;
        boolean failed;
        boolean hashSeen;
        int details;
        long mismatches;

        FileCheck(String rel, IndexFileHeader header) {
            this.rel = rel;
            this.header = header;
            all.add(this);
            if (header.lastSeq() == 0) {
                hashSeen = true;
                if (!Arrays.equals(header.chainHash(), new byte[FrameLayout.HASH_BYTES])) mismatch(-1, 0, "made for a different history of the log (its chain hash at seq 0 is not zero)");
            } else {
                hashChecks.computeIfAbsent(header.lastSeq(), k -> new ArrayList<>()).add(this);
            }
        }

        long lastSeq() {
            return header.lastSeq();
        }

        long firstSeq() {
            return header.firstSeq();
        }

        void mismatch(long offset, long seq, String message) {
            mismatches++;
            failed = true;
            if (details++ < DETAILS_PER_FILE) findings.damage(INDEX, INDEX_MISMATCH, rel, offset, seq, message + "; the store would answer wrongly with it: rebuild it");
        }

        /** After the walk: why it could not be compared at all, or what it lacks; then it is done. */
        void finish(long headSeq) {
            if (failed) {
                if (details > DETAILS_PER_FILE) findings.damage(INDEX, INDEX_MISMATCH, rel, -1, -1, mismatches + " disagreements with the log in all");
                return;
            }
            if (lastSeq() > headSeq) {
                if (live) {
                    findings.notice(INDEX, INDEX_UNCHECKED, rel, -1, lastSeq(), "valid up to seq " + lastSeq() + ", newer than the log as checked (written by the running daemon); not compared");
                } else {
                    findings.damage(INDEX, INDEX_PAST_LOG, rel, -1, lastSeq(), "claims to be valid up to seq " + lastSeq() + " but the log ends at seq " + headSeq
                            + "; the store discards it and rebuilds it from the segments");
                }
            } else if (overlapsUnverified(firstSeq(), lastSeq())) {
                findings.notice(INDEX, INDEX_UNCHECKED, rel, -1, -1, "not compared: it covers seqs the log check could not read");
            } else {
                complete();
            }
        }

        /** Final comparisons once the walk has passed everything the file covers. */
        void complete() {
            if (!hashSeen) mismatch(-1, lastSeq(), "its last seq " + lastSeq() + " was never reached in the log");
        }

        void atLastSeq(ByteBuffer buf, int at) {
            hashSeen = true;
            if (failed) return;
            FrameCodec.chainHashOf(buf, at, hash);
            if (!Arrays.equals(hash, header.chainHash())) mismatch(-1, lastSeq(), "made for a different history of the log: its chain hash at seq " + lastSeq()
                    + " is not the log's");
        }
    }

    // ---- offsets ---------------------------------------------------------------------------

    private final class OffsetsCheck extends FileCheck {
        final long segmentFirstSeq;
        final long[] entries;
        final int count;
        int next;
        boolean endSeen;

        OffsetsCheck(String rel, IndexFileHeader h, long segmentFirstSeq, long[] entries, int count) {
            super(rel, h);
            this.segmentFirstSeq = segmentFirstSeq;
            this.entries = entries;
            this.count = count;
        }

        void frame(long seq, long offset, int length) {
            if (failed || seq > lastSeq()) return;
            while (next < count && entries[2 * next] < seq) {
                mismatch(entryOffset(next), entries[2 * next], "entry " + next + " names seq " + entries[2 * next] + ", which the walk passed without meeting");
                next++;
            }
            if (next < count && entries[2 * next] == seq) {
                if (entries[2 * next + 1] != offset) {
                    mismatch(entryOffset(next), seq, "entry " + next + " says seq " + seq + " starts at byte " + entries[2 * next + 1] + " of the segment; it starts at byte " + offset);
                }
                next++;
            }
            if (seq == lastSeq()) {
                endSeen = true;
                if (offset + length != header.extra()) {
                    mismatch(40, seq, "the header says the frames up to seq " + seq + " end at byte " + header.extra() + "; they end at byte " + (offset + length));
                }
            }
        }

        @Override
        void complete() {
            if (lastSeq() == segmentFirstSeq - 1) {
                if (header.extra() != SegmentLayout.HEADER_BYTES) mismatch(40, -1, "empty, yet its header says the frames end at byte " + header.extra());
                super.complete();
                return;
            }
            super.complete();
            if (!endSeen && !failed) mismatch(-1, lastSeq(), "seq " + lastSeq() + " is not in segment " + String.format("%020d", segmentFirstSeq));
            if (next < count && !failed) mismatch(entryOffset(next), entries[2 * next], (count - next) + " entries name seqs the segment does not hold");
        }

        private long entryOffset(int i) {
            return IndexFileHeader.BYTES + 16L * i;
        }
    }

    private void loadOffsets(Path p, String rel, long named) throws IOException {
        IndexFile.Loaded f = IndexFile.read(p, OffsetIndex.MAGIC);
        IndexFileHeader h = f.header();
        if (h.count() * 16 != h.bodyLength() || h.count() > Integer.MAX_VALUE / 2) {
            throw new CorruptIndexException(h.count() + " entries do not fill " + h.bodyLength() + " bytes");
        }
        if (h.firstSeq() != named) throw new CorruptIndexException("its header is for segment " + h.firstSeq() + ", its name for " + named);
        if (!Files.exists(dir.segmentFile(named))) {
            findings.notice(INDEX, INDEX_STRAY, rel, -1, -1, "for segment " + named + ", which does not exist; the store ignores it");
            return;
        }
        int n = (int) h.count();
        long[] e = new long[2 * n];
        f.body().asLongBuffer().get(0, e);
        long prevSeq = h.firstSeq() - 1, prevOffset = SegmentLayout.HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            if (e[2 * i] <= prevSeq || e[2 * i] > h.lastSeq() || e[2 * i + 1] <= prevOffset || e[2 * i + 1] >= h.extra()) {
                throw new CorruptIndexException("entry " + i + " (seq " + e[2 * i] + ", offset " + e[2 * i + 1] + ") is out of order or out of range");
            }
            prevSeq = e[2 * i];
            prevOffset = e[2 * i + 1];
        }
        offsets.put(named, new OffsetsCheck(rel, h, named, e, n));
    }

    // ---- posting runs ----------------------------------------------------------------------

    private final class RunCheck extends FileCheck {
        final long fileSum1, fileSum2, count;
        long logSum1, logSum2, logCount;

        RunCheck(String rel, IndexFileHeader h, long sum1, long sum2) {
            super(rel, h);
            this.fileSum1 = sum1;
            this.fileSum2 = sum2;
            this.count = h.count();
        }

        void add(long streamHash, long version, long seq) {
            long x = entryDigest(streamHash, version, seq);
            logSum1 += x;
            logSum2 += mix(x ^ 0x9E3779B97F4A7C15L);
            logCount++;
        }

        @Override
        void complete() {
            super.complete();
            if (failed) return;
            if (logCount != count) {
                mismatch(-1, -1, "holds " + count + " entries for seqs " + firstSeq() + ".." + lastSeq() + ", which are " + logCount + " events");
            } else if (logSum1 != fileSum1 || logSum2 != fileSum2) {
                mismatch(-1, -1, "its entries are not the (stream, version, seq) of the events " + firstSeq() + ".." + lastSeq());
            }
        }
    }

    private void loadRun(Path p, String rel) throws IOException {
        IndexFile.Loaded f = IndexFile.read(p, PostingRun.MAGIC);
        IndexFileHeader h = f.header();
        // Layout (see PostingRun): 24-byte entries u64 stream hash, u64 version, u64 seq, sorted by hash (unsigned), then seq.
        if (h.count() * 24 != h.bodyLength()) throw new CorruptIndexException(h.count() + " entries do not fill " + h.bodyLength() + " bytes");
        if (h.firstSeq() < 1 || h.lastSeq() < h.firstSeq()) throw new CorruptIndexException("bad seq range " + h.firstSeq() + ".." + h.lastSeq());
        if (!p.getFileName().toString().equals(PostingRun.fileName(h.firstSeq(), h.lastSeq()))) {
            throw new CorruptIndexException("its header covers seqs " + h.firstSeq() + ".." + h.lastSeq() + ", its name says otherwise");
        }
        ByteBuffer b = f.body();
        long sum1 = 0, sum2 = 0, prevHash = 0, prevSeq = 0;
        RunCheck check = null;
        for (long i = 0; i < h.count(); i++) {
            int at = (int) (i * 24);
            long hash = b.getLong(at), version = b.getLong(at + 8), seq = b.getLong(at + 16);
            boolean ordered = i == 0 || Long.compareUnsigned(hash, prevHash) > 0 || (hash == prevHash && seq > prevSeq);
            if (!ordered || seq < h.firstSeq() || seq > h.lastSeq() || version < 1) {
                if (check == null) check = new RunCheck(rel, h, 0, 0);
                check.mismatch(IndexFileHeader.BYTES + i * 24, seq, "entry " + i + " (version " + version + ", seq " + seq + ") is "
                        + (!ordered ? "out of order" : "out of the run's range " + h.firstSeq() + ".." + h.lastSeq()));
                return;
            }
            long x = entryDigest(hash, version, seq);
            sum1 += x;
            sum2 += mix(x ^ 0x9E3779B97F4A7C15L);
            prevHash = hash;
            prevSeq = seq;
        }
        runs.add(new RunCheck(rel, h, sum1, sum2));
    }

    static long entryDigest(long streamHash, long version, long seq) {
        return mix(streamHash + mix(version * 0xC2B2AE3D27D4EB4FL + mix(seq)));
    }

    /** The MurmurHash3 finalizer: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb93e53c8e1cbL;
        return z ^ (z >>> 33);
    }

    // ---- stream state ----------------------------------------------------------------------

    private final class StateCheck extends FileCheck {
        final StreamTable table;
        boolean compared;

        StateCheck(String rel, IndexFileHeader h, StreamTable table) {
            super(rel, h);
            this.table = table;
        }

        void compare(StreamTable walk, boolean versionsExact) {
            compared = true;
            if (!versionsExact) {
                failed = true;
                findings.notice(INDEX, INDEX_UNCHECKED, rel, -1, lastSeq(), "not compared: the log check skipped events before seq " + lastSeq());
                return;
            }
            if (table.size() != walk.size()) {
                mismatch(-1, lastSeq(), "holds " + table.size() + " streams; up to seq " + lastSeq() + " the log has " + walk.size());
            }
            for (int s = 0; s < table.size(); s++) {
                byte[] name = table.nameBytes(s);
                String stream = new String(name, StandardCharsets.UTF_8);
                long h = table.hash(s);
                if (StreamHash.of(name) != h) {
                    mismatch(-1, -1, "stream \"" + stream + "\" is stored with a hash that is not its name's");
                    continue;
                }
                int w = walk.find(name, h);
                if (w < 0) {
                    mismatch(-1, -1, "stream \"" + stream + "\" has no events up to seq " + lastSeq());
                } else if (table.lastVersion(s) != walk.lastVersion(w) || table.lastSeq(s) != walk.lastSeq(w)) {
                    mismatch(-1, table.lastSeq(s), "stream \"" + stream + "\" is at version " + table.lastVersion(s) + " (seq " + table.lastSeq(s)
                            + "), the log has it at version " + walk.lastVersion(w) + " (seq " + walk.lastSeq(w) + ")");
                }
            }
        }

        @Override
        void complete() {
            super.complete();
            if (!compared && !failed) mismatch(-1, lastSeq(), "seq " + lastSeq() + " was never reached in the log");
        }
    }

    private void loadState(Path p, String rel) throws IOException {
        StreamStateFile.Loaded l = StreamStateFile.read(p);
        state = new StateCheck(rel, l.header(), l.table());
    }

    // ---- ids -------------------------------------------------------------------------------

    private final class IdsCheck extends FileCheck {
        final ByteBuffer body;

        IdsCheck(String rel, IndexFileHeader h, ByteBuffer body) {
            super(rel, h);
            this.body = body;
        }

        void frame(long seq, ByteBuffer buf, int at) {
            if (failed || seq < firstSeq() || seq > lastSeq()) return;
            int i = (int) ((seq - firstSeq()) * 16);
            if (body.getLong(i) != buf.getLong(at + FrameLayout.ID_MSB_OFFSET) || body.getLong(i + 8) != buf.getLong(at + FrameLayout.ID_LSB_OFFSET)) {
                mismatch(IndexFileHeader.BYTES + i, seq, "the id of seq " + seq + " is not the event's id");
            }
        }
    }

    private void loadIds(Path p, String rel) throws IOException {
        IndexFile.Loaded f = IndexFile.read(p, IdIndex.MAGIC);
        IndexFileHeader h = f.header();
        // Layout (see IdIndex): u64 msb, u64 lsb per seq, firstSeq..lastSeq in order.
        long n = h.lastSeq() - h.firstSeq() + 1;
        if (h.firstSeq() < 1 || n < 0 || n != h.count() || n * 16 != h.bodyLength()) {
            throw new CorruptIndexException(h.count() + " ids for seqs " + h.firstSeq() + ".." + h.lastSeq());
        }
        ids = new IdsCheck(rel, h, f.body());
    }

    // ---- the walk --------------------------------------------------------------------------

    /** Before the first frame: files valid up to seq 0 are compared with the empty log. */
    void atStart(StreamTable walk) {
        if (state != null && state.lastSeq() == 0) state.compare(walk, true);
    }

    /**
     * One valid frame of the log, in seq order (frames of an unfinished last batch too: files
     * never cover them). {@code walk} is the stream table after it; {@code versionsExact} is
     * false when the walk skipped events before it.
     */
    void frame(long seq, long segmentFirstSeq, long offset, int length, ByteBuffer buf, int at, long streamHash, long version,
               StreamTable walk, boolean versionsExact) {
        if (segmentFirstSeq != currentSegment) {
            currentSegment = segmentFirstSeq;
            currentOffsets = offsets.get(segmentFirstSeq);
        }
        if (currentOffsets != null) currentOffsets.frame(seq, offset, length);
        for (RunCheck r : runs) {
            if (seq >= r.firstSeq() && seq <= r.lastSeq()) r.add(streamHash, version, seq);
        }
        if (ids != null) ids.frame(seq, buf, at);
        if (!hashChecks.isEmpty()) {
            List<FileCheck> due = hashChecks.remove(seq);
            if (due != null) {
                for (FileCheck c : due) c.atLastSeq(buf, at);
            }
        }
        if (state != null && !state.compared && seq == state.lastSeq()) state.compare(walk, versionsExact);
    }

    /** The walk left a segment. */
    void segmentEnd(long segmentFirstSeq) {
        currentSegment = -1;
        currentOffsets = null;
    }

    /** Seqs the walk could not check: files over them are not compared. */
    void unverified(long from, long to) {
        unverified.add(new long[] {from, to});
    }

    private boolean overlapsUnverified(long from, long to) {
        for (long[] r : unverified) if (r[0] <= to && from <= r[1]) return true;
        return false;
    }

    /** After the walk: everything not yet compared is compared now or reported. */
    void finish(long headSeq) {
        for (FileCheck c : all) c.finish(headSeq);
    }
}
