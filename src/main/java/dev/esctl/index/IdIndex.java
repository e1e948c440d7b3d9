package dev.esctl.index;

import java.io.IOException;
import java.nio.file.Path;

/**
 * event id → seq for the last {@code window} events, so a client that retries a batch (after a
 * timeout, a lost response, a restart) gets the original result instead of a duplicate. A ring
 * holds the id of each seq in the window (slot = seq mod window); an open-addressing table
 * (linear probing, at most half full) finds an id. Each table entry holds the ring slot and the
 * id's 32-bit hash, so probing and moving entries read the table alone: the ring is read only
 * for an entry whose hash matches (with the ring in the loop, each probe step was another cache
 * miss; JMH: a retried id's lookup 254 → 173 ns). When a seq leaves the window its id leaves the table
 * (deletion by backward shift, so no tombstones accumulate). Heap: 16 bytes per event of the
 * window for the ring and 16 for the table — 32 MiB for the default million — fixed, whatever
 * the store size.
 *
 * <p>The table is far larger than the CPU caches, so each insert and each removal is a cache
 * (and TLB) miss at a random place. {@link #add} therefore writes the ring at once but queues
 * its table updates, {@value #TABLE_BATCH} at a time: the batch first loads every slot it will
 * touch, loads that do not depend on each other, so the CPU waits for their misses together,
 * then makes the updates in order, in cache. {@link #find} applies the queue first.
 *
 * <p>File {@code index/ids} (written at clean shutdown): an {@link IndexFileHeader} (magic
 * "ESIXIDS1", first/last seq held, chain hash of the last), then {@code u64 msb, u64 lsb} per
 * seq in order. Without a valid file, the window is rebuilt from the log's tail on open.
 *
 * <p>Not thread-safe: the writer owns it (one thread at a time).
 */
public final class IdIndex {
    public static final long MAGIC = 0x3153444958495345L; // "ESIXIDS1" little-endian
    public static final String NAME = "ids";
    public static final int DEFAULT_WINDOW = 1 << 20;

    private final int window;
    private final long[] msbs;
    private final long[] lsbs;
    private final long[] table; // hash << 32 | ring slot + 1; 0 = empty
    private long firstSeq = 1; // seqs [firstSeq, lastSeq] are in the ring
    private long lastSeq;

    /** Table updates not yet made, in seq order: the entry that leaves (0 = none) and the one that comes. */
    private static final int TABLE_BATCH = 64;
    private final long[] leaving = new long[TABLE_BATCH];
    private final long[] coming = new long[TABLE_BATCH];
    private int queued;
    /** What the batch's loads summed to: kept, so that the compiler cannot drop them. */
    private long touched;

    public IdIndex(int window) {
        this.window = window;
        this.msbs = new long[window];
        this.lsbs = new long[window];
        this.table = new long[Math.max(4, Integer.highestOneBit(Math.max(1, window - 1)) << 2)];
    }

    public int window() {
        return window;
    }

    /** The seq that carries this id, or -1 when no event in the window does. */
    public long find(long msb, long lsb) {
        if (queued > 0) updateTable();
        int mask = table.length - 1;
        int hash = hash(msb, lsb);
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            long e = table[i];
            if (e == 0) return -1;
            int r = (int) e - 1;
            if ((int) (e >>> 32) == hash && msbs[r] == msb && lsbs[r] == lsb) return seqOfRing(r);
        }
    }

    /** Records that event {@code seq} (the next one) has this id; the oldest leaves the window when it is full. */
    public void add(long seq, long msb, long lsb) {
        assert seq == lastSeq + 1 : "id of seq " + seq + " after " + lastSeq;
        int r = (int) (seq % window);
        long leaves = 0;
        if (lastSeq - firstSeq + 1 == window) {
            // The oldest seq has the same ring slot: its id leaves the table.
            leaves = entry(hash(msbs[r], lsbs[r]), r);
            firstSeq++;
        }
        msbs[r] = msb;
        lsbs[r] = lsb;
        lastSeq = seq;
        leaving[queued] = leaves;
        coming[queued] = entry(hash(msb, lsb), r);
        if (++queued == TABLE_BATCH) updateTable();
    }

    /** Makes the queued table updates: first every load, then every change (see the class comment). */
    private void updateTable() {
        int mask = table.length - 1;
        long sum = 0;
        for (int k = 0; k < queued; k++) {
            sum += table[home(leaving[k], mask)] + table[home(coming[k], mask)];
        }
        touched += sum;
        for (int k = 0; k < queued; k++) {
            if (leaving[k] != 0) remove(leaving[k]);
            insert(coming[k]);
        }
        queued = 0;
    }

    /** Starts an empty window after {@code seq} (events before it are not indexed). */
    public void startAfter(long seq) {
        if (queued > 0) updateTable();
        firstSeq = seq + 1;
        lastSeq = seq;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public long firstSeq() {
        return firstSeq;
    }

    private long seqOfRing(int r) {
        long base = lastSeq - (lastSeq % window);
        long seq = base + r;
        return seq > lastSeq ? seq - window : seq;
    }

    private void insert(long entry) {
        int mask = table.length - 1;
        int i = home(entry, mask);
        while (table[i] != 0) i = (i + 1) & mask;
        table[i] = entry;
    }

    private void remove(long entry) {
        int mask = table.length - 1;
        int i = home(entry, mask);
        while (table[i] != entry) i = (i + 1) & mask;
        // Backward-shift deletion: move later members of the probe run into the hole.
        int hole = i;
        for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = (int) (table[j] >>> 32) & mask;
            // It may move back into the hole unless its home lies cyclically after the hole.
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = 0;
    }

    private static long entry(int hash, int ringSlot) {
        return (long) hash << 32 | (ringSlot + 1);
    }

    private static int home(long entry, int mask) {
        return (int) (entry >>> 32) & mask;
    }

    private static int hash(long msb, long lsb) {
        long h = msb * 0x9E3779B97F4A7C15L ^ lsb * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 32));
    }

    public void write(Path file, byte[] lastChainHash) throws IOException {
        long first = firstSeq, last = lastSeq;
        IndexFile.write(file, new IndexFile.HeaderFields(MAGIC, first, last, window, lastChainHash), sink -> {
            for (long seq = first; seq <= last; seq++) {
                int r = (int) (seq % window);
                sink.putLong(msbs[r]).putLong(lsbs[r]);
                sink.entry();
            }
        });
    }

    /** A loaded file: the index and its header, which the caller checks against the log. */
    public record Loaded(IdIndex index, IndexFileHeader header) {}

    /** Loads a file into a fresh index of {@code window} ids. */
    public static Loaded read(Path file, int window) throws IOException {
        IndexFile.Loaded f = IndexFile.read(file, MAGIC);
        IndexFileHeader h = f.header();
        long n = h.lastSeq() - h.firstSeq() + 1;
        if (h.firstSeq() < 1 || n < 0 || n != h.count() || n * 16 != h.bodyLength() || n > window) {
            throw new CorruptIndexException(file.getFileName() + ": " + h.count() + " ids for seqs " + h.firstSeq() + ".." + h.lastSeq());
        }
        IdIndex index = new IdIndex(window);
        index.startAfter(h.firstSeq() - 1);
        long[] pairs = new long[(int) (2 * n)];
        f.body().asLongBuffer().get(0, pairs);
        for (int i = 0; i < n; i++) index.add(h.firstSeq() + i, pairs[2 * i], pairs[2 * i + 1]);
        return new Loaded(index, h);
    }
}
