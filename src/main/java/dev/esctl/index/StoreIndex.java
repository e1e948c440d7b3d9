package dev.esctl.index;

import dev.esctl.storage.DataDirectory;
import dev.esctl.storage.FrameCodec;
import dev.esctl.storage.FrameLayout;
import dev.esctl.storage.FramePosition;
import dev.esctl.storage.LogCursor;
import dev.esctl.storage.LogHead;
import dev.esctl.storage.Segment;
import dev.esctl.storage.SegmentLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every derived index of a store, kept consistent with the log:
 * <ul>
 *   <li>seq → position: an {@link OffsetIndex} per segment;</li>
 *   <li>stream → (version → seq): {@link PostingRun}s on disk for older events, in-memory
 *   {@link ActivePostings} for the newest (written as a run at each seal, merged in the
 *   background so that a lookup visits few runs);</li>
 *   <li>stream state: the {@link StreamTable}, persisted as {@link StreamStateFile}.</li>
 * </ul>
 * Each file records the seq (and chain hash) it is valid up to. On open, files that are
 * missing, corrupt, or do not match the log are discarded; then only the log after what the
 * files cover is read ({@link #open}). Nothing here is ever trusted over the segments.
 *
 * <p>Thread-safety: the writer (one thread at a time) calls the writer methods; readers call
 * the rest from any thread. The stream table and the active table are guarded by a read-write lock; runs, frozen
 * tables and offset indexes are safe to read without it. Files are written by one background
 * thread ("esctl-indexer"). A failure there is logged and reported; the store keeps working
 * from memory and the next open rebuilds what is missing.
 */
public final class StoreIndex implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreIndex.class);
    /** Runs are mapped as one buffer, so a merged run stays well under 2 GiB. */
    private static final long MAX_RUN_BYTES = 1L << 30;

    /** Told how far a long scan has come (fsck --rebuild-index draws a progress bar with it). */
    public interface Progress {
        Progress NONE = (done, total) -> {};

        void update(long doneSeq, long totalSeq);
    }

    private final Path dir;
    private final boolean writable;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final StreamTable streams;
    private final Map<Long, OffsetIndex> offsets = new ConcurrentHashMap<>();
    private final ExecutorService indexer;
    private final IndexStats stats;
    private volatile IndexView view;
    private volatile String maintenanceFailure;
    /** Set when the writer failed: from then on nothing more is written to the disk (fail-stop). */
    private volatile boolean stopped;
    private OffsetIndex activeOffsets;
    /** Writable stores only; owned by the writer after open. */
    private IdIndex ids;
    /** Read-only stores: the seq up to which {@link #catchUp} has indexed the log. */
    private long followedSeq;

    private StoreIndex(Path dir, boolean writable, StreamTable streams, IndexView view, IndexStats stats) {
        this.dir = dir;
        this.writable = writable;
        this.streams = streams;
        this.view = view;
        this.stats = stats;
        this.indexer = writable ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "esctl-indexer");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Loads what the index directory holds for this log and rebuilds the rest from the
     * segments. Writable: rebuilt files are written back, bad ones deleted. Read-only: nothing
     * on disk changes; what is missing is built in memory.
     */
    public static StoreIndex open(DataDirectory data, LogHead head, boolean writable, Progress progress) throws IOException {
        long start = System.nanoTime();
        Path dir = data.indexDir();
        IndexStats stats = new IndexStats();
        if (writable) {
            Files.createDirectories(dir);
            for (Path p : list(dir)) {
                if (p.getFileName().toString().endsWith(IndexFile.TEMP_SUFFIX)) Files.deleteIfExists(p);
            }
        }
        Opening o = new Opening(dir, head, writable, stats, progress);
        long t0 = System.nanoTime();
        o.loadOffsets();
        long t1 = System.nanoTime();
        o.loadRuns();
        long t2 = System.nanoTime();
        o.loadState();
        // Only now is the replay point known: offsets are rebuilt separately just for the
        // segments wholly before it; the replay rebuilds the rest on its one pass.
        o.rebuildOffsetsOfEarlySegments();
        long t3 = System.nanoTime();
        o.replayTail();
        long t4 = System.nanoTime();
        log.debug("event=index_open_phases offsets_ms={} runs_ms={} state_and_early_offsets_ms={} replay_ms={}",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
        StoreIndex index = new StoreIndex(dir, writable, o.table, new IndexView(List.copyOf(o.runs), List.of(), o.memtable), stats);
        index.offsets.putAll(o.offsets);
        if (!head.segments().isEmpty()) index.activeOffsets = o.offsets.get(head.lastSegment().firstSeq());
        if (writable) index.ids = o.loadIds(IdIndex.DEFAULT_WINDOW);
        index.followedSeq = head.seq();
        stats.openNanos = System.nanoTime() - start;
        stats.replayedEvents = o.replayed;
        log.info("event=index_open data={} streams={} runs={} replayed_events={} rebuilt_files={} discarded_files={} ms={}",
                data.root(), o.table.size(), o.runs.size(), o.replayed, stats.rebuilds.get(), stats.discarded.get(), stats.openNanos / 1_000_000);
        if (writable) index.scheduleMerge();
        return index;
    }

    // ---- the writer (one thread at a time) ------------------------------------------------

    /** The stream's last version as the writer knows it (0 = absent). Writer only. */
    public long lastVersion(byte[] name, long hash) {
        return streams.lastVersion(name, hash);
    }

    /** Notes where frame {@code seq} starts in the active segment (sparse: most calls keep nothing). Writer only. */
    public void noteFrame(long seq, long offset) {
        activeOffsets.add(seq, offset);
    }

    /** Starts applying a committed group: readers wait until {@link #endApply()}. Writer only. */
    public void beginApply() {
        lock.writeLock().lock();
    }

    /** One committed event of the group being applied. */
    public void apply(byte[] stream, long hash, long version, long seq, long idMsb, long idLsb) {
        int slot = streams.advance(stream, hash, version, seq);
        view.active().add(slot, hash, version, seq);
        ids.add(seq, idMsb, idLsb);
    }

    /**
     * A read-only store learned of events another process committed ({@code newer} extends
     * the log this index covers): indexes them in memory. Returns the streams they touched.
     */
    public java.util.Set<String> catchUp(LogHead newer) {
        java.util.Set<String> touched = new java.util.HashSet<>();
        long from = followedSeq + 1;
        if (from > newer.seq()) return touched;
        lock.writeLock().lock();
        try (LogCursor c = LogCursor.from(newer, from, floor(newer, from))) {
            while (c.next()) {
                ByteBuffer buf = c.frameBuffer();
                int at = c.frameIndex();
                long seq = FrameCodec.seq(buf, at);
                offsets.computeIfAbsent(c.frameSegment().firstSeq(), OffsetIndex::new).add(seq, c.frameOffset());
                byte[] stream = FrameCodec.streamBytes(buf, at);
                long hash = StreamHash.of(stream);
                int slot = streams.advance(stream, hash, FrameCodec.version(buf, at), seq);
                view.active().add(slot, hash, FrameCodec.version(buf, at), seq);
                touched.add(new String(stream, java.nio.charset.StandardCharsets.UTF_8));
                followedSeq = seq;
            }
        } finally {
            lock.writeLock().unlock();
        }
        return touched;
    }

    /** The seq of the committed event with this id, if it is among the last {@link IdIndex#window()} events; else -1. Writer only. */
    public long seqOfId(long idMsb, long idLsb) {
        return ids.find(idMsb, idLsb);
    }

    /** How many of the latest events retries are recognised for. */
    public int idWindow() {
        return ids == null ? 0 : ids.window();
    }

    public void endApply() {
        lock.writeLock().unlock();
    }

    /**
     * The writer sealed {@code sealed} and started the segment beginning at {@code nextFirstSeq}.
     * Freezes the in-memory table and snapshots the stream table (consistent: the writer applies
     * whole groups and seals only between them); the indexer writes them out in the background.
     */
    public void segmentSealed(Segment sealed, long nextFirstSeq) {
        long lastSeq = sealed.sealedLastSeq();
        OffsetIndex sealedOffsets = activeOffsets;
        activeOffsets = new OffsetIndex(nextFirstSeq);
        offsets.put(nextFirstSeq, activeOffsets);
        StreamTable.Snapshot snapshot;
        ActivePostings frozen;
        lock.writeLock().lock();
        try {
            IndexView v = view;
            frozen = v.active();
            assert frozen.isEmpty() || frozen.lastSeq() == lastSeq : "frozen table ends at " + frozen.lastSeq() + ", segment at " + lastSeq;
            List<ActivePostings> frozenList = new ArrayList<>(v.frozen());
            frozenList.add(frozen);
            view = new IndexView(v.runs(), List.copyOf(frozenList), new ActivePostings(lastSeq + 1));
            snapshot = writable ? streams.snapshot() : null;
        } finally {
            lock.writeLock().unlock();
        }
        if (!writable) return;
        byte[] hash = sealed.sealedLastHash();
        indexer.execute(() -> {
            if (stopped) return;
            try {
                sealedOffsets.write(offsetsFile(sealed.firstSeq()), lastSeq, sealed.sealedDataEnd(), hash);
                if (!frozen.isEmpty()) publishRun(frozen, lastSeq, hash);
                StreamStateFile.write(dir.resolve(StreamStateFile.NAME), snapshot, lastSeq, hash);
                log.info("event=index_written segment={} last_seq={} run_events={} streams={}", sealed, lastSeq, frozen.events(), snapshot.size());
                mergeRuns();
            } catch (IOException | RuntimeException e) {
                maintenanceFailed("writing the index of " + sealed, e);
            }
        });
    }

    private void publishRun(ActivePostings frozen, long lastSeq, byte[] hash) throws IOException {
        RunEntries entries = frozen.sortedEntries();
        PostingRun run = PostingRun.write(dir, frozen.firstSeq(), lastSeq, hash, entries::writeTo);
        lock.writeLock().lock();
        try {
            IndexView v = view;
            List<PostingRun> runs = new ArrayList<>(v.runs());
            runs.add(run);
            List<ActivePostings> frozenList = new ArrayList<>(v.frozen());
            frozenList.remove(frozen);
            view = new IndexView(List.copyOf(runs), List.copyOf(frozenList), v.active());
        } finally {
            lock.writeLock().unlock();
        }
        stats.runsWritten.incrementAndGet();
    }

    /** Merges the newest runs while the newest is at least half the size of the one before (a binary counter: O(log n) runs). */
    private void mergeRuns() throws IOException {
        while (!stopped) {
            List<PostingRun> runs = view.runs();
            int n = runs.size();
            if (n < 2) return;
            PostingRun a = runs.get(n - 2), b = runs.get(n - 1);
            if (b.bytes() * 2 < a.bytes() || a.bytes() + b.bytes() > MAX_RUN_BYTES) return;
            PostingRun merged = RunMerger.merge(dir, a, b);
            lock.writeLock().lock();
            try {
                IndexView v = view;
                List<PostingRun> next = new ArrayList<>(v.runs());
                int at = next.indexOf(a);
                next.remove(b);
                next.set(at, merged);
                view = new IndexView(List.copyOf(next), v.frozen(), v.active());
            } finally {
                lock.writeLock().unlock();
            }
            // Readers holding the old view keep their mapping of the deleted files.
            Files.deleteIfExists(a.file());
            Files.deleteIfExists(b.file());
            stats.merges.incrementAndGet();
            log.info("event=index_merged run={} events={}", merged, merged.size());
        }
    }

    private void scheduleMerge() {
        indexer.execute(() -> {
            if (stopped) return;
            try {
                mergeRuns();
            } catch (IOException | RuntimeException e) {
                maintenanceFailed("merging index runs", e);
            }
        });
    }

    /** The writer failed: write no more index files (what is queued is dropped; the next open rebuilds it). */
    public void stopWriting() {
        stopped = true;
    }

    private void maintenanceFailed(String what, Exception e) {
        maintenanceFailure = what + ": " + e;
        stats.failures.incrementAndGet();
        log.error("event=index_write_failed what=\"{}\" error=\"{}\" effect=\"the store keeps working from memory; the next open rebuilds the index\"", what, e.toString(), e);
    }

    /**
     * Waits for background index writes, then persists what is only in memory (the active
     * table as a run, the active segment's offsets, the stream state) so that the next open
     * reads nothing of the log. {@code head} must be final (the writer has stopped).
     */
    public void closeCleanly(LogHead head) throws IOException {
        if (!writable) return;
        drainIndexer();
        if (head.segments().isEmpty()) return;
        IndexView v = view;
        byte[] hash = head.chainHash();
        if (!v.frozen().isEmpty()) return; // a background write failed; the next open rebuilds
        if (!v.active().isEmpty()) publishRun(v.active(), v.active().lastSeq(), hash);
        activeOffsets.write(offsetsFile(head.lastSegment().firstSeq()), head.seq(), head.activeEnd(), hash);
        StreamStateFile.write(dir.resolve(StreamStateFile.NAME), streams.snapshot(), head.seq(), hash);
        ids.write(dir.resolve(IdIndex.NAME), hash);
    }

    private void drainIndexer() {
        indexer.shutdown();
        try {
            if (!indexer.awaitTermination(5, TimeUnit.MINUTES)) log.warn("event=index_close_timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (indexer != null && !indexer.isShutdown()) drainIndexer();
    }

    // ---- readers -------------------------------------------------------------------------

    /** The stream's last version and seq, or null when it does not exist. */
    public StreamInfo stream(String name) {
        byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long hash = StreamHash.of(utf8);
        lock.readLock().lock();
        try {
            int s = streams.find(utf8, hash);
            return s < 0 ? null : new StreamInfo(name, streams.lastVersion(s), streams.lastSeq(s));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Streams whose names start with {@code prefix}, in UTF-8 byte order of their names. */
    public List<StreamInfo> streams(String prefix) {
        byte[] p = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<byte[]> names = new ArrayList<>();
        List<long[]> states = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (int s = 0; s < streams.size(); s++) {
                if (streams.nameStartsWith(s, p)) {
                    names.add(streams.nameBytes(s));
                    states.add(new long[] {streams.lastVersion(s), streams.lastSeq(s)});
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        Integer[] order = new Integer[names.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(names.get(a), names.get(b)));
        List<StreamInfo> out = new ArrayList<>(order.length);
        for (int i : order) {
            out.add(new StreamInfo(new String(names.get(i), java.nio.charset.StandardCharsets.UTF_8), states.get(i)[0], states.get(i)[1]));
        }
        return out;
    }

    public int streamCount() {
        lock.readLock().lock();
        try {
            return streams.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The postings of one stream (null when it does not exist), from a version or a seq, forward or backward. */
    public PostingCursor postings(String stream, boolean backward, boolean bySeq, long from) {
        byte[] utf8 = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long hash = StreamHash.of(utf8);
        lock.readLock().lock();
        try {
            int s = streams.find(utf8, hash);
            if (s < 0) return null;
            return new PostingCursor(view, lock.readLock(), s, hash, streams.collides(hash), backward, bySeq, from);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The streams at or below {@code prefix} ({@code orders} covers {@code orders/42}), with cursors by seq. */
    public List<PostingCursor> subtree(String prefix, boolean backward, long fromSeq, long[] totalEvents) {
        byte[] p = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<PostingCursor> out = new ArrayList<>();
        long total = 0;
        lock.readLock().lock();
        try {
            IndexView v = view;
            for (int s = 0; s < streams.size(); s++) {
                if (!streams.nameStartsWith(s, p)) continue;
                byte[] name = streams.nameBytes(s);
                if (name.length > p.length && name[p.length] != '/') continue;
                long hash = streams.hash(s);
                out.add(new PostingCursor(v, lock.readLock(), s, hash, streams.collides(hash), backward, true, fromSeq));
                total += streams.lastVersion(s);
            }
        } finally {
            lock.readLock().unlock();
        }
        totalEvents[0] = total;
        return out;
    }

    /** A known frame position at or before {@code seq} (null when the seq is not in the log). */
    public FramePosition floor(LogHead head, long seq) {
        if (head.segments().isEmpty() || seq < 1) return null;
        OffsetIndex o = offsets.get(head.segments().get(head.segmentIndexOf(seq)).firstSeq());
        return o == null ? null : o.floor(seq);
    }

    public IndexStats stats() {
        return stats;
    }

    /** Why a background index write failed, or null. */
    public String maintenanceFailure() {
        return maintenanceFailure;
    }

    public int runCount() {
        return view.runs().size();
    }

    public long streamTableHeapBytes() {
        lock.readLock().lock();
        try {
            return streams.heapBytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    Path offsetsFile(long segmentFirstSeq) {
        return dir.resolve(String.format("%020d.offsets", segmentFirstSeq));
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    // ---- opening -------------------------------------------------------------------------

    /** The work of {@link #open}, step by step. */
    private static final class Opening {
        final Path dir;
        final LogHead head;
        final boolean writable;
        final IndexStats stats;
        final Progress progress;
        final Map<Long, OffsetIndex> offsets = new HashMap<>();
        /** Per segment: the last seq its offset index covers. */
        final Map<Long, Long> covered = new HashMap<>();
        final List<PostingRun> runs = new ArrayList<>();
        StreamTable table = new StreamTable();
        long stateSeq;
        ActivePostings memtable;
        /** Writable: postings of sealed segments being replayed, written as a run at each segment's end. */
        RunEntries pendingRun;
        long pendingRunFirstSeq;
        long replayed;

        Opening(Path dir, LogHead head, boolean writable, IndexStats stats, Progress progress) {
            this.dir = dir;
            this.head = head;
            this.writable = writable;
            this.stats = stats;
            this.progress = progress;
        }

        long runsSeq() {
            return runs.isEmpty() ? 0 : runs.get(runs.size() - 1).lastSeq();
        }

        void discard(Path file, String why) throws IOException {
            stats.discarded.incrementAndGet();
            log.warn("event=index_discarded file={} reason=\"{}\" effect=\"rebuilt from the segments\"", file.getFileName(), why);
            if (writable) Files.deleteIfExists(file);
        }

        void loadOffsets() throws IOException {
            for (int i = 0; i < head.segments().size(); i++) {
                Segment seg = head.segments().get(i);
                Path file = dir.resolve(String.format("%020d.offsets", seg.firstSeq()));
                OffsetIndex index = null;
                long coveredSeq = seg.firstSeq() - 1;
                if (Files.exists(file)) {
                    try {
                        OffsetIndex.Loaded l = OffsetIndex.read(file);
                        String problem = mismatch(seg, i, l.header());
                        if (problem == null) {
                            index = l.index();
                            coveredSeq = l.header().lastSeq();
                        } else {
                            discard(file, problem);
                        }
                    } catch (CorruptIndexException e) {
                        discard(file, e.getMessage());
                    }
                }
                offsets.put(seg.firstSeq(), index != null ? index : new OffsetIndex(seg.firstSeq()));
                covered.put(seg.firstSeq(), coveredSeq);
            }
        }

        /** Null when the offsets file's header agrees with the segment, else what is wrong. */
        String mismatch(Segment seg, int i, IndexFileHeader h) throws IOException {
            if (h.firstSeq() != seg.firstSeq()) return "it is for segment " + h.firstSeq();
            if (seg.isSealed()) {
                if (h.lastSeq() != seg.sealedLastSeq() || h.extra() != seg.sealedDataEnd() || !Arrays.equals(h.chainHash(), seg.sealedLastHash())) {
                    return "it does not match the sealed segment (seq " + h.lastSeq() + " vs " + seg.sealedLastSeq() + ")";
                }
                return null;
            }
            if (h.lastSeq() > head.seq() || h.extra() > head.dataEnd(i)) return "it points past the log (seq " + h.lastSeq() + ", head " + head.seq() + ")";
            if (h.lastSeq() < seg.firstSeq()) return h.extra() == SegmentLayout.HEADER_BYTES ? null : "empty but ends at " + h.extra();
            return Arrays.equals(hashAt(h.lastSeq()), h.chainHash()) ? null : "it was made for a different history of the log";
        }

        /**
         * Segments wholly before the replay point whose offsets must be rebuilt: scanned one by
         * one. Call after the runs and the state are loaded: segments from the replay point on
         * are left to {@link #replayTail}, or a full rebuild would read them twice.
         */
        void rebuildOffsetsOfEarlySegments() throws IOException {
            long replayFrom = Math.min(stateSeq, runsSeq()) + 1;
            for (int i = 0; i < head.segments().size() - 1; i++) {
                Segment seg = head.segments().get(i);
                if (covered.get(seg.firstSeq()) >= seg.sealedLastSeq() || seg.sealedLastSeq() >= replayFrom) continue;
                OffsetIndex index = new OffsetIndex(seg.firstSeq());
                try (LogCursor c = LogCursor.from(head, seg.firstSeq())) {
                    while (c.nextSeq() <= seg.sealedLastSeq() && c.next()) {
                        index.add(c.seq(), c.frameOffset());
                    }
                }
                offsets.put(seg.firstSeq(), index);
                covered.put(seg.firstSeq(), seg.sealedLastSeq());
                stats.rebuilds.incrementAndGet();
                if (writable) index.write(dir.resolve(String.format("%020d.offsets", seg.firstSeq())), seg.sealedLastSeq(), seg.sealedDataEnd(), seg.sealedLastHash());
                log.info("event=index_rebuilt file={}.offsets events={}", String.format("%020d", seg.firstSeq()), seg.sealedLastSeq() - seg.firstSeq() + 1);
                progress.update(seg.sealedLastSeq(), head.seq());
            }
        }

        /** Chain hash of event {@code seq} as the log has it (zeros for seq 0). */
        byte[] hashAt(long seq) {
            byte[] out = new byte[FrameLayout.HASH_BYTES];
            if (seq == 0) return out;
            OffsetIndex o = offsets.get(head.segments().get(head.segmentIndexOf(seq)).firstSeq());
            try (LogCursor c = LogCursor.from(head, seq, o == null ? null : o.floor(seq))) {
                if (!c.next()) return null;
                FrameCodec.chainHashOf(c.frameBuffer(), c.frameIndex(), out);
            }
            return out;
        }

        /** Picks runs that cover 1..N without gaps or overlaps, preferring the widest; discards the rest. */
        void loadRuns() throws IOException {
            List<PostingRun> candidates = new ArrayList<>();
            for (Path p : list(dir)) {
                String name = p.getFileName().toString();
                if (!name.startsWith("streams-") || !name.endsWith(".run")) continue;
                try {
                    PostingRun run = PostingRun.read(p);
                    if (run.lastSeq() > head.seq()) discard(p, "it points past the log (seq " + run.lastSeq() + ", head " + head.seq() + ")");
                    else candidates.add(run);
                } catch (CorruptIndexException e) {
                    discard(p, e.getMessage());
                }
            }
            candidates.sort((a, b) -> a.firstSeq() != b.firstSeq() ? Long.compare(a.firstSeq(), b.firstSeq()) : Long.compare(b.lastSeq(), a.lastSeq()));
            long next = 1;
            for (PostingRun run : candidates) {
                if (run.firstSeq() == next && Arrays.equals(hashAt(run.lastSeq()), run.lastChainHash())) {
                    runs.add(run);
                    next = run.lastSeq() + 1;
                } else if (run.firstSeq() == next) {
                    discard(run.file(), "it was made for a different history of the log");
                } else if (writable) {
                    // Superseded by a merge, or left behind by a crash between merge and delete.
                    Files.deleteIfExists(run.file());
                }
            }
        }

        void loadState() throws IOException {
            Path file = dir.resolve(StreamStateFile.NAME);
            if (!Files.exists(file)) return;
            try {
                StreamStateFile.Loaded l = StreamStateFile.read(file);
                long seq = l.header().lastSeq();
                if (seq > head.seq()) {
                    discard(file, "it points past the log (seq " + seq + ", head " + head.seq() + ")");
                } else if (!Arrays.equals(hashAt(seq), l.header().chainHash())) {
                    discard(file, "it was made for a different history of the log");
                } else {
                    table = l.table();
                    stateSeq = seq;
                }
            } catch (CorruptIndexException e) {
                discard(file, e.getMessage());
            }
        }

        /**
         * One pass over the log from the earliest seq any index is missing: offsets of the
         * segments from there on, postings after the last run, stream state after the state
         * file. Writable: at each sealed segment's end the postings so far become a run, so
         * memory stays bounded by one segment.
         */
        void replayTail() throws IOException {
            long runsSeq = runsSeq();
            long from = Math.min(stateSeq, runsSeq) + 1;
            for (Segment seg : head.segments()) {
                long c = covered.get(seg.firstSeq());
                long last = seg == head.lastSegment() ? head.seq() : seg.sealedLastSeq();
                if (c < last && c + 1 < from) from = c + 1;
            }
            memtable = new ActivePostings(runsSeq + 1);
            if (from > head.seq() || head.segments().isEmpty()) return;
            boolean stateBehindLastSeal = stateSeq < head.lastSegment().firstSeq() - 1;
            try (LogCursor cursor = LogCursor.from(head, from, null)) {
                Segment current = null;
                while (cursor.next()) {
                    Segment seg = cursor.frameSegment();
                    if (seg != current) {
                        if (current != null) segmentDone(current);
                        current = seg;
                    }
                    ByteBuffer buf = cursor.frameBuffer();
                    int at = cursor.frameIndex();
                    long seq = FrameCodec.seq(buf, at);
                    if (seq > covered.get(seg.firstSeq())) offsets.get(seg.firstSeq()).add(seq, cursor.frameOffset());
                    if (seq > runsSeq || seq > stateSeq) {
                        byte[] stream = FrameCodec.streamBytes(buf, at);
                        long hash = StreamHash.of(stream);
                        long version = FrameCodec.version(buf, at);
                        int slot = seq > stateSeq ? table.advance(stream, hash, version, seq) : table.find(stream, hash);
                        if (seq > runsSeq) {
                            if (writable && seg.isSealed() && seg != head.lastSegment()) {
                                if (pendingRun == null) {
                                    pendingRun = new RunEntries(1 << 16);
                                    pendingRunFirstSeq = runsSeq() + 1;
                                    assert pendingRunFirstSeq == seq : "run would start at " + pendingRunFirstSeq + ", first event " + seq;
                                }
                                pendingRun.add(hash, version, seq);
                            } else {
                                memtable.add(slot, hash, version, seq);
                            }
                        }
                    }
                    replayed++;
                    if ((replayed & 0xFFFF) == 0) progress.update(seq, head.seq());
                }
                if (current != null) segmentDone(current);
            }
            progress.update(head.seq(), head.seq());
            if (writable && stateBehindLastSeal) {
                // The state file catches up with the runs, so a crash now does not replay sealed segments again.
                StreamStateFile.write(dir.resolve(StreamStateFile.NAME), table.snapshot(), head.seq(), head.chainHash());
                stateSeq = head.seq();
            }
            if (replayed > 0) log.info("event=index_replayed from_seq={} events={}", from, replayed);
        }

        /**
         * The id window: from the file when it matches the log (then only the events after it are
         * read), else rebuilt from the last {@code window} events of the log.
         */
        IdIndex loadIds(int window) throws IOException {
            Path file = dir.resolve(IdIndex.NAME);
            IdIndex ids = null;
            if (Files.exists(file)) {
                try {
                    IdIndex.Loaded l = IdIndex.read(file, window);
                    long last = l.header().lastSeq();
                    if (last > head.seq()) discard(file, "it points past the log (seq " + last + ", head " + head.seq() + ")");
                    else if (!Arrays.equals(hashAt(last), l.header().chainHash())) discard(file, "it was made for a different history of the log");
                    else ids = l.index();
                } catch (CorruptIndexException e) {
                    discard(file, e.getMessage());
                }
            }
            if (ids == null) {
                ids = new IdIndex(window);
                ids.startAfter(Math.max(0, head.seq() - window));
            }
            if (ids.lastSeq() < head.seq()) {
                long from = Math.max(ids.lastSeq() + 1, head.seq() - window + 1);
                if (from > ids.lastSeq() + 1) {
                    ids = new IdIndex(window); // the file is older than the window: start afresh
                    ids.startAfter(from - 1);
                }
                OffsetIndex o = offsets.get(head.segments().get(head.segmentIndexOf(from)).firstSeq());
                try (LogCursor c = LogCursor.from(head, from, o == null ? null : o.floor(from))) {
                    while (c.next()) {
                        ByteBuffer buf = c.frameBuffer();
                        int at = c.frameIndex();
                        ids.add(FrameCodec.seq(buf, at), buf.getLong(at + FrameLayout.ID_MSB_OFFSET), buf.getLong(at + FrameLayout.ID_LSB_OFFSET));
                    }
                }
                log.debug("event=id_index_rebuilt from_seq={} to_seq={}", from, head.seq());
            }
            return ids;
        }

        /** A sealed segment was fully replayed: persist its offsets and the postings up to its end. */
        private void segmentDone(Segment seg) throws IOException {
            if (!seg.isSealed() || seg == head.lastSegment()) return;
            long last = seg.sealedLastSeq();
            if (covered.get(seg.firstSeq()) < last) {
                covered.put(seg.firstSeq(), last);
                stats.rebuilds.incrementAndGet();
                if (writable) offsets.get(seg.firstSeq()).write(dir.resolve(String.format("%020d.offsets", seg.firstSeq())), last, seg.sealedDataEnd(), seg.sealedLastHash());
            }
            if (pendingRun != null) {
                RunEntries entries = pendingRun;
                entries.sort();
                runs.add(PostingRun.write(dir, pendingRunFirstSeq, last, seg.sealedLastHash(), entries::writeTo));
                stats.rebuilds.incrementAndGet();
                pendingRun = null;
                memtable = new ActivePostings(last + 1);
            }
        }
    }

    /** Counters about the index, for stat, info and metrics. */
    public static final class IndexStats {
        final AtomicLong rebuilds = new AtomicLong();
        final AtomicLong discarded = new AtomicLong();
        final AtomicLong runsWritten = new AtomicLong();
        final AtomicLong merges = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        long openNanos;
        long replayedEvents;

        public long rebuilds() { return rebuilds.get(); }
        public long discarded() { return discarded.get(); }
        public long runsWritten() { return runsWritten.get(); }
        public long merges() { return merges.get(); }
        public long failures() { return failures.get(); }
        public long openNanos() { return openNanos; }
        public long replayedEvents() { return replayedEvents; }
    }
}
