package dev.esctl.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An immutable, sorted posting run: stream → (version → seq) for the events with seqs
 * {@code firstSeq..lastSeq}. Written when a segment seals (and at clean shutdown), merged with
 * its neighbours in the background so that a lookup visits few runs.
 *
 * <p>File {@code index/streams-<first seq>-<last seq>.run}: an {@link IndexFileHeader} (magic
 * "ESIXPOST"), then 24-byte entries {@code u64 stream hash, u64 version, u64 seq} sorted by
 * hash (unsigned) then version. A lookup binary-searches (hash, version) and walks forward;
 * the stream name is checked in each frame read, so two streams sharing a hash only cost an
 * extra read. A crash while writing leaves no run (see {@link IndexFile}); the events are then
 * indexed again from the log on open.
 *
 * <p>Thread-safe: the body is read with absolute gets only.
 */
public final class PostingRun {
    public static final long MAGIC = 0x54534f5058495345L; // "ESIXPOST" little-endian
    static final int ENTRY_BYTES = 24;

    private final Path file;
    private final IndexFileHeader header;
    private final ByteBuffer body;
    private final int count;

    private PostingRun(Path file, IndexFileHeader header, ByteBuffer body) {
        this.file = file;
        this.header = header;
        this.body = body;
        this.count = (int) header.count();
    }

    public static String fileName(long firstSeq, long lastSeq) {
        return String.format("streams-%020d-%020d.run", firstSeq, lastSeq);
    }

    /** Writes sorted entries (hash, version, seq triples) as a run and opens it. */
    static PostingRun write(Path dir, long firstSeq, long lastSeq, byte[] lastChainHash, EntrySource entries) throws IOException {
        Path file = dir.resolve(fileName(firstSeq, lastSeq));
        IndexFile.write(file, new IndexFile.HeaderFields(MAGIC, firstSeq, lastSeq, 0, lastChainHash), sink -> entries.writeTo(sink));
        return read(file);
    }

    @FunctionalInterface
    interface EntrySource {
        void writeTo(IndexFile.Sink sink) throws IOException;
    }

    static PostingRun read(Path file) throws IOException {
        IndexFile.Loaded f = IndexFile.read(file, MAGIC);
        IndexFileHeader h = f.header();
        if (h.count() * ENTRY_BYTES != h.bodyLength()) {
            throw new CorruptIndexException(file.getFileName() + ": " + h.count() + " entries do not fill " + h.bodyLength() + " bytes");
        }
        if (h.firstSeq() < 1 || h.lastSeq() < h.firstSeq()) throw new CorruptIndexException(file.getFileName() + ": bad seq range " + h.firstSeq() + ".." + h.lastSeq());
        return new PostingRun(file, h, f.body());
    }

    public Path file() { return file; }
    public long firstSeq() { return header.firstSeq(); }
    public long lastSeq() { return header.lastSeq(); }
    public byte[] lastChainHash() { return header.chainHash(); }
    public int size() { return count; }
    public long bytes() { return IndexFileHeader.BYTES + (long) count * ENTRY_BYTES; }

    long hash(int i) { return body.getLong(i * ENTRY_BYTES); }
    long version(int i) { return body.getLong(i * ENTRY_BYTES + 8); }
    long seq(int i) { return body.getLong(i * ENTRY_BYTES + 16); }

    /** Index of the first entry not less than (hash, version); {@link #size()} when there is none. */
    int lowerBound(long hash, long version) {
        int lo = 0, hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(hash(mid), hash);
            if (c < 0 || (c == 0 && version(mid) < version)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** Index of the first entry with this hash and a seq not less than {@code seq} (seqs grow with versions within a stream). */
    int lowerBoundBySeq(long hash, long seq) {
        int lo = lowerBound(hash, 0), hi = lowerBound(hash, Long.MAX_VALUE);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (seq(mid) < seq) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    @Override
    public String toString() {
        return file.getFileName().toString();
    }
}
