package dev.esctl.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The stream table on disk, so that opening a store does not rescan the log to learn every
 * stream's last version — and in the table's own layout, so that loading it is a few bulk
 * copies rather than a million inserts. File {@code index/streams.state}: an
 * {@link IndexFileHeader} (magic "ESIXSTAT", last seq = the seq the table is valid up to,
 * count = streams n, extra = capacity c of the slot table), then
 * <pre>
 *   u64 x n   hash of each stream's name, by slot
 *   u64 x n   last version, by slot
 *   u64 x n   last seq, by slot
 *   i32 x c   open-addressing table: slot + 1, or 0 for empty
 *   u32 k, u64 x k   hashes shared by more than one stream
 *   i32 x n   where each stream's name lies in the name arena
 *   u32 a     arena length in bytes
 *   u8 x a    the name arena: 4 MiB chunks, each name (u16 length, bytes) inside one chunk
 * </pre>
 * Written at every seal and at clean shutdown; on open the log after its seq is replayed into
 * the table.
 */
public final class StreamStateFile {
    private StreamStateFile() {}

    public static final long MAGIC = 0x5441545358495345L; // "ESIXSTAT" little-endian
    public static final String NAME = "streams.state";

    public static void write(Path file, StreamTable.Snapshot snapshot, long indexedSeq, byte[] chainHash) throws IOException {
        IndexFile.write(file, new IndexFile.HeaderFields(MAGIC, 1, indexedSeq, snapshot.table().length, chainHash), snapshot::writeTo);
    }

    /** A loaded table and the seq it is valid up to (checked against the log by the caller). */
    public record Loaded(StreamTable table, IndexFileHeader header) {}

    public static Loaded read(Path file) throws IOException {
        IndexFile.Loaded f = IndexFile.read(file, MAGIC);
        IndexFileHeader h = f.header();
        ByteBuffer b = f.body();
        long n = h.count(), capacity = h.extra();
        long fixed = 24 * n + 4 * capacity + 4;
        if (n > Integer.MAX_VALUE / 8 || capacity > Integer.MAX_VALUE / 4 || fixed > b.limit()) {
            throw new CorruptIndexException(file.getFileName() + ": " + n + " streams and a table of " + capacity + " do not fit in " + b.limit() + " bytes");
        }
        int count = (int) n;
        long[] hashes = new long[count], versions = new long[count], seqs = new long[count];
        int[] table = new int[(int) capacity];
        b.asLongBuffer().get(0, hashes);
        b.slice(8 * count, 8 * count).order(b.order()).asLongBuffer().get(versions);
        b.slice(16 * count, 8 * count).order(b.order()).asLongBuffer().get(seqs);
        b.slice(24 * count, 4 * table.length).order(b.order()).asIntBuffer().get(table);
        int at = (int) (24L * count + 4L * table.length);
        int k = b.getInt(at);
        if (k < 0 || at + 4 + 8L * k > b.limit()) throw new CorruptIndexException(file.getFileName() + ": bad count of shared hashes " + k);
        long[] collided = new long[k];
        b.slice(at + 4, 8 * k).order(b.order()).asLongBuffer().get(collided);
        int refsAt = at + 4 + 8 * k;
        if (refsAt + 4L * count + 4 > b.limit()) throw new CorruptIndexException(file.getFileName() + ": ends before the name arena");
        int[] refs = new int[count];
        b.slice(refsAt, 4 * count).order(b.order()).asIntBuffer().get(refs);
        int arenaAt = refsAt + 4 * count + 4;
        int arenaEnd = b.getInt(arenaAt - 4);
        for (int s = 0; s < count; s++) {
            if (versions[s] < 1 || seqs[s] < versions[s] || seqs[s] > h.lastSeq()) {
                throw new CorruptIndexException(file.getFileName() + ": stream " + s + " has impossible state (version " + versions[s] + ", seq " + seqs[s] + ")");
            }
        }
        try {
            StreamTable t = StreamTable.restore(hashes, versions, seqs, table, collided, refs, arenaEnd, b.slice(arenaAt, b.limit() - arenaAt));
            return new Loaded(t, h);
        } catch (IllegalArgumentException e) {
            throw new CorruptIndexException(file.getFileName() + ": " + e.getMessage());
        }
    }
}
