package dev.esctl.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last version and last seq of every stream, in a compact primitive structure: a stream
 * is a dense slot number; per slot three parallel arrays hold its hash (8 bytes), last version
 * (8), last seq (8) and where its name lies in a name arena (4); an open-addressing table of
 * slot numbers (4 bytes at load factor at most 1/2, so 8 per stream) finds a slot by name.
 * That is 36 bytes of state per stream (up to twice that just after the arrays double), plus
 * the name's UTF-8 bytes and 2 bytes of length in the arena. A stream's event count equals its
 * last version, since versions are dense.
 *
 * <p>Not thread-safe: {@link StoreIndex} guards it with its lock (one writer, many readers).
 */
public final class StreamTable {
    private static final int ARENA_CHUNK_BITS = 22; // 4 MiB chunks: growth never copies names
    private static final int ARENA_CHUNK = 1 << ARENA_CHUNK_BITS;

    private long[] hashes = new long[1024];
    private long[] lastVersions = new long[1024];
    private long[] lastSeqs = new long[1024];
    private int[] nameRefs = new int[1024];
    private int size;
    private int[] table = new int[2048]; // slot + 1; 0 = empty
    private byte[][] arena = new byte[1][];
    private int arenaEnd; // next free byte, as a global arena offset
    /** Hashes shared by two or more streams: lookups by seq cannot binary-search their postings. */
    private final java.util.Set<Long> collided = new java.util.HashSet<>();

    public int size() {
        return size;
    }

    /** The slot of the stream with this name, or -1. */
    public int find(byte[] name, long hash) {
        int mask = table.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            int s = table[i] - 1;
            if (s < 0) return -1;
            if (hashes[s] == hash && nameEquals(s, name)) return s;
        }
    }

    public int find(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return find(utf8, StreamHash.of(utf8));
    }

    /** The stream's last version; 0 when it does not exist. */
    public long lastVersion(byte[] name, long hash) {
        int s = find(name, hash);
        return s < 0 ? 0 : lastVersions[s];
    }

    /** Records that the stream now ends at {@code version}, event {@code seq}; creates it if new. Returns its slot. */
    public int advance(byte[] name, long hash, long version, long seq) {
        int s = find(name, hash);
        if (s < 0) s = add(name, hash);
        assert version > lastVersions[s] : "stream version went from " + lastVersions[s] + " to " + version;
        lastVersions[s] = version;
        lastSeqs[s] = seq;
        return s;
    }

    /** Adds a stream known to be new (loading a state file); returns -1, adding nothing, when the name is already present. */
    public int addIfAbsent(byte[] name, long hash, long version, long seq) {
        if (find(name, hash) >= 0) return -1;
        int s = add(name, hash);
        lastVersions[s] = version;
        lastSeqs[s] = seq;
        return s;
    }

    private int add(byte[] name, long hash) {
        if (size == hashes.length) {
            int n = size * 2;
            hashes = Arrays.copyOf(hashes, n);
            lastVersions = Arrays.copyOf(lastVersions, n);
            lastSeqs = Arrays.copyOf(lastSeqs, n);
            nameRefs = Arrays.copyOf(nameRefs, n);
        }
        int mask = table.length - 1;
        for (int i = (int) hash & mask; table[i] != 0; i = (i + 1) & mask) {
            if (hashes[table[i] - 1] == hash) collided.add(hash);
        }
        int s = size++;
        hashes[s] = hash;
        nameRefs[s] = store(name);
        if (size * 2 > table.length) rehash(table.length * 2);
        insert(s);
        return s;
    }

    /** True when another stream has the same hash (64-bit: astronomically rare, but handled). */
    public boolean collides(long hash) {
        return collided.contains(hash);
    }

    private void insert(int s) {
        int mask = table.length - 1;
        int i = (int) hashes[s] & mask;
        while (table[i] != 0) i = (i + 1) & mask;
        table[i] = s + 1;
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        for (int s = 0; s < size; s++) insert(s);
    }

    private int store(byte[] name) {
        int ref = reserve(2 + name.length);
        byte[] c = arena[ref >>> ARENA_CHUNK_BITS];
        int offset = ref & (ARENA_CHUNK - 1);
        c[offset] = (byte) name.length; // little-endian, like every length on disk
        c[offset + 1] = (byte) (name.length >>> 8);
        System.arraycopy(name, 0, c, offset + 2, name.length);
        return ref;
    }

    /** Room for {@code need} bytes in the arena, never across a chunk boundary; returns where. */
    private int reserve(int need) {
        int chunk = arenaEnd >>> ARENA_CHUNK_BITS;
        int offset = arenaEnd & (ARENA_CHUNK - 1);
        if (offset + need > ARENA_CHUNK) {
            chunk++;
            offset = 0;
        }
        if (chunk >= arena.length) arena = Arrays.copyOf(arena, chunk + 1);
        if (arena[chunk] == null) arena[chunk] = new byte[ARENA_CHUNK];
        int ref = (chunk << ARENA_CHUNK_BITS) | offset;
        arenaEnd = ref + need;
        return ref;
    }

    private boolean nameEquals(int s, byte[] name) {
        int ref = nameRefs[s];
        byte[] c = arena[ref >>> ARENA_CHUNK_BITS];
        int offset = ref & (ARENA_CHUNK - 1);
        int length = nameLength(c, offset);
        return length == name.length && Arrays.equals(c, offset + 2, offset + 2 + length, name, 0, length);
    }

    private static int nameLength(byte[] chunk, int offset) {
        return (chunk[offset] & 0xFF) | ((chunk[offset + 1] & 0xFF) << 8);
    }

    public byte[] nameBytes(int s) {
        int ref = nameRefs[s];
        byte[] c = arena[ref >>> ARENA_CHUNK_BITS];
        int offset = ref & (ARENA_CHUNK - 1);
        int length = nameLength(c, offset);
        return Arrays.copyOfRange(c, offset + 2, offset + 2 + length);
    }

    public String name(int s) {
        return new String(nameBytes(s), StandardCharsets.UTF_8);
    }

    /** True when the name of slot {@code s} starts with the UTF-8 bytes {@code prefix}. */
    public boolean nameStartsWith(int s, byte[] prefix) {
        int ref = nameRefs[s];
        byte[] c = arena[ref >>> ARENA_CHUNK_BITS];
        int offset = ref & (ARENA_CHUNK - 1);
        int length = nameLength(c, offset);
        return length >= prefix.length && Arrays.equals(c, offset + 2, offset + 2 + prefix.length, prefix, 0, prefix.length);
    }

    public long hash(int s) { return hashes[s]; }
    public long lastVersion(int s) { return lastVersions[s]; }
    public long lastSeq(int s) { return lastSeqs[s]; }

    /**
     * A copy of the table for writing to disk in the background while the writer goes on:
     * about 36 bytes per stream of array copying; names are shared, since the arena only grows.
     */
    public Snapshot snapshot() {
        return new Snapshot(size, Arrays.copyOf(hashes, size), Arrays.copyOf(lastVersions, size), Arrays.copyOf(lastSeqs, size),
                Arrays.copyOf(nameRefs, size), arena.clone(), arenaEnd, table.clone(), collided.stream().mapToLong(Long::longValue).toArray());
    }

    /** The table as of one moment, in the layout it is persisted in (see {@link StreamStateFile}). */
    public record Snapshot(int size, long[] hashes, long[] lastVersions, long[] lastSeqs, int[] nameRefs,
                           byte[][] arena, int arenaEnd, int[] table, long[] collided) {
        void writeTo(IndexFile.Sink sink) throws java.io.IOException {
            for (int s = 0; s < size; s++) sink.putLong(hashes[s]);
            for (int s = 0; s < size; s++) sink.putLong(lastVersions[s]);
            for (int s = 0; s < size; s++) sink.putLong(lastSeqs[s]);
            for (int t : table) sink.putInt(t);
            sink.putInt(collided.length);
            for (long h : collided) sink.putLong(h);
            for (int s = 0; s < size; s++) sink.putInt(nameRefs[s]);
            sink.putInt(arenaEnd);
            for (int c = 0; c <= arenaEnd >>> ARENA_CHUNK_BITS && c < arena.length; c++) {
                int used = c < arenaEnd >>> ARENA_CHUNK_BITS ? ARENA_CHUNK : arenaEnd & (ARENA_CHUNK - 1);
                if (used > 0) sink.put(arena[c], 0, used);
            }
            for (int s = 0; s < size; s++) sink.entry();
        }
    }

    /**
     * A table rebuilt from its persisted arrays by bulk copies (no hashing, probing or
     * per-name work). The caller has verified the file's checksum; this checks shapes and bounds.
     *
     * @param arenaBytes the name arena's bytes [0, arenaEnd), chunk after chunk
     */
    static StreamTable restore(long[] hashes, long[] lastVersions, long[] lastSeqs, int[] table, long[] collided,
                               int[] nameRefs, int arenaEnd, java.nio.ByteBuffer arenaBytes) {
        int n = hashes.length;
        if (Integer.bitCount(table.length) != 1 || table.length < 2L * n) throw new IllegalArgumentException("table of " + table.length + " for " + n + " streams");
        if (arenaEnd < 0 || arenaBytes.limit() != arenaEnd) throw new IllegalArgumentException("arena of " + arenaBytes.limit() + " bytes, header says " + arenaEnd);
        StreamTable t = new StreamTable();
        int capacity = Math.max(1024, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
        t.hashes = Arrays.copyOf(hashes, capacity);
        t.lastVersions = Arrays.copyOf(lastVersions, capacity);
        t.lastSeqs = Arrays.copyOf(lastSeqs, capacity);
        t.nameRefs = Arrays.copyOf(nameRefs, capacity);
        t.table = table;
        t.size = n;
        for (long h : collided) t.collided.add(h);
        int chunks = (arenaEnd + ARENA_CHUNK - 1) >>> ARENA_CHUNK_BITS;
        t.arena = new byte[Math.max(1, chunks)][];
        for (int c = 0; c < chunks; c++) {
            t.arena[c] = new byte[ARENA_CHUNK];
            int from = c << ARENA_CHUNK_BITS;
            arenaBytes.get(from, t.arena[c], 0, Math.min(ARENA_CHUNK, arenaEnd - from));
        }
        t.arenaEnd = arenaEnd;
        for (int s = 0; s < n; s++) {
            int ref = nameRefs[s];
            if (ref < 0 || ref + 2 > arenaEnd || (ref & (ARENA_CHUNK - 1)) + 2 > ARENA_CHUNK
                    || ref + 2 + nameLength(t.arena[ref >>> ARENA_CHUNK_BITS], ref & (ARENA_CHUNK - 1)) > arenaEnd) {
                throw new IllegalArgumentException("name of stream " + s + " lies outside the arena");
            }
        }
        for (int slot : table) {
            if (slot < 0 || slot > n) throw new IllegalArgumentException("table names slot " + (slot - 1) + " of " + n);
        }
        return t;
    }

    /** Bytes of heap this table holds (arrays and arena), for {@code stat} and the memory benchmark. */
    public long heapBytes() {
        long arenaBytes = 0;
        for (byte[] c : arena) if (c != null) arenaBytes += c.length;
        return 8L * hashes.length * 3 + 4L * nameRefs.length + 4L * table.length + arenaBytes;
    }
}
