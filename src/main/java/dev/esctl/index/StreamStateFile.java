package dev.esctl.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The stream table on disk, so that opening a store does not rescan the log to learn every
 * stream's last version. File {@code index/streams.state}: an {@link IndexFileHeader} (magic
 * "ESIXSTAT", last seq = the seq the table is valid up to, count = streams), then per stream
 * {@code u16 name length, name, u64 last version, u64 last seq}. Written at every seal and at
 * clean shutdown; on open the log after its seq is replayed into the table.
 */
public final class StreamStateFile {
    private StreamStateFile() {}

    public static final long MAGIC = 0x5441545358495345L; // "ESIXSTAT" little-endian
    public static final String NAME = "streams.state";

    public static void write(Path file, StreamTable.Snapshot snapshot, long indexedSeq, byte[] chainHash) throws IOException {
        IndexFile.write(file, new IndexFile.HeaderFields(MAGIC, 1, indexedSeq, 0, chainHash), snapshot::writeTo);
    }

    /** A loaded table and the seq it is valid up to (checked against the log by the caller). */
    public record Loaded(StreamTable table, IndexFileHeader header) {}

    public static Loaded read(Path file) throws IOException {
        IndexFile.Loaded f = IndexFile.read(file, MAGIC);
        ByteBuffer b = f.body();
        StreamTable table = new StreamTable();
        long indexedSeq = f.header().lastSeq();
        int p = 0;
        for (long i = 0; i < f.header().count(); i++) {
            if (p + 2 > b.limit()) throw new CorruptIndexException(file.getFileName() + ": ends inside stream " + i);
            int length = Short.toUnsignedInt(b.getShort(p));
            if (length == 0 || p + 2 + length + 16 > b.limit()) throw new CorruptIndexException(file.getFileName() + ": stream " + i + " runs past the end");
            byte[] name = new byte[length];
            b.get(p + 2, name);
            p += 2 + length;
            long version = b.getLong(p), seq = b.getLong(p + 8);
            p += 16;
            long hash = StreamHash.of(name);
            if (version < 1 || seq < version || seq > indexedSeq || table.find(name, hash) >= 0) {
                throw new CorruptIndexException(file.getFileName() + ": stream " + i + " has impossible state (version " + version + ", seq " + seq + ") or repeats");
            }
            table.advance(name, hash, version, seq);
        }
        if (p != b.limit()) throw new CorruptIndexException(file.getFileName() + ": " + (b.limit() - p) + " bytes after the last stream");
        return new Loaded(table, f.header());
    }
}
