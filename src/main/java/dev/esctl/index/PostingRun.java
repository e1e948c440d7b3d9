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
 * hash (unsigned) then seq. Within one stream versions grow with seqs, so a lookup
 * binary-searches (hash, version) or (hash, seq) and walks on; when two streams share a hash
 * their entries interleave, the cursor then walks the hash's whole range and filters, and the
 * stream name is checked in each frame read — a shared hash costs reads, never a wrong event. A crash while writing leaves no run (see {@link IndexFile}); the events are then
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

    /** Writes entries in run order (hash unsigned, then seq) as a run and opens it. */
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

    /** Index of the first entry with a hash not less than {@code hash} (unsigned). */
    int firstOf(long hash) {
        int lo = 0, hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(hash(mid), hash) < 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** Index just past the last entry with {@code hash}. */
    int endOf(long hash) {
        return hash == -1L ? count : firstOf(hash + 1);
    }

    /**
     * First index in [lo, hi) whose version (byVersion) or seq is not less than {@code bound};
     * valid where the range holds one stream, whose versions and seqs both ascend.
     */
    int lowerBound(int lo, int hi, boolean byVersion, long bound) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if ((byVersion ? version(mid) : seq(mid)) < bound) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    @Override
    public String toString() {
        return file.getFileName().toString();
    }
}
