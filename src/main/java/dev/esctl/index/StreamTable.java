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
        int need = 2 + name.length;
        int chunk = arenaEnd >>> ARENA_CHUNK_BITS;
        int offset = arenaEnd & (ARENA_CHUNK - 1);
        if (offset + need > ARENA_CHUNK) {
            chunk++;
            offset = 0;
        }
        if (chunk >= arena.length) arena = Arrays.copyOf(arena, chunk + 1);
        if (arena[chunk] == null) arena[chunk] = new byte[ARENA_CHUNK];
        byte[] c = arena[chunk];
        c[offset] = (byte) (name.length >>> 8);
        c[offset + 1] = (byte) name.length;
        System.arraycopy(name, 0, c, offset + 2, name.length);
        int ref = (chunk << ARENA_CHUNK_BITS) | offset;
        arenaEnd = ref + need;
        return ref;
    }

    private boolean nameEquals(int s, byte[] name) {
        int ref = nameRefs[s];
        byte[] c = arena[ref >>> ARENA_CHUNK_BITS];
        int offset = ref & (ARENA_CHUNK - 1);
        int length = ((c[offset] & 0xFF) << 8) | (c[offset + 1] & 0xFF);
        return length == name.length && Arrays.equals(c, offset + 2, offset + 2 + length, name, 0, length);
    }

    public byte[] nameBytes(int s) {
        int ref = nameRefs[s];
        byte[] c = arena[ref >>> ARENA_CHUNK_BITS];
        int offset = ref & (ARENA_CHUNK - 1);
        int length = ((c[offset] & 0xFF) << 8) | (c[offset + 1] & 0xFF);
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
        int length = ((c[offset] & 0xFF) << 8) | (c[offset + 1] & 0xFF);
        return length >= prefix.length && Arrays.equals(c, offset + 2, offset + 2 + prefix.length, prefix, 0, prefix.length);
    }

    public long hash(int s) { return hashes[s]; }
    public long lastVersion(int s) { return lastVersions[s]; }
    public long lastSeq(int s) { return lastSeqs[s]; }

    /**
     * A copy of the state for writing to disk in the background while the writer goes on.
     * Costs 20 bytes per stream of copying; names are shared, since the arena only grows.
     */
    public Snapshot snapshot() {
        return new Snapshot(size, Arrays.copyOf(lastVersions, size), Arrays.copyOf(lastSeqs, size),
                Arrays.copyOf(nameRefs, size), arena.clone());
    }

    /** The stream table as of one moment. */
    public record Snapshot(int size, long[] lastVersions, long[] lastSeqs, int[] nameRefs, byte[][] arena) {
        /** Writes each stream as {@code u16 name length, name bytes, u64 last version, u64 last seq}. */
        void writeTo(IndexFile.Sink sink) throws java.io.IOException {
            for (int s = 0; s < size; s++) {
                int ref = nameRefs[s];
                byte[] c = arena[ref >>> ARENA_CHUNK_BITS];
                int offset = ref & (ARENA_CHUNK - 1);
                int length = ((c[offset] & 0xFF) << 8) | (c[offset + 1] & 0xFF);
                sink.putShort(length).put(Arrays.copyOfRange(c, offset + 2, offset + 2 + length))
                        .putLong(lastVersions[s]).putLong(lastSeqs[s]);
                sink.entry();
            }
        }
    }

    /** Bytes of heap this table holds (arrays and arena), for {@code stat} and the memory benchmark. */
    public long heapBytes() {
        long arenaBytes = 0;
        for (byte[] c : arena) if (c != null) arenaBytes += c.length;
        return 8L * hashes.length * 3 + 4L * nameRefs.length + 4L * table.length + arenaBytes;
    }
}
