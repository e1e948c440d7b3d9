package dev.esctl.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One segment file as readers see it: its first seq, and read access to its bytes. While the
 * segment is active it is read through a channel; once sealed it is memory-mapped (where the
 * file system allows). Thread-safe.
 */
public final class Segment {
    private final long firstSeq;
    private final Path path;
    private volatile SegmentBytes bytes;
    /** Offset where frames end; known once sealed, -1 while active (readers use the commit position). */
    private volatile long sealedDataEnd;
    private volatile long sealedLastSeq;
    private volatile byte[] sealedLastHash;
    /** A channel replaced by a mapping stays open until close: readers may still be using it. */
    private SegmentBytes retired;

    private Segment(long firstSeq, Path path, SegmentBytes bytes, long sealedDataEnd, long sealedLastSeq, byte[] sealedLastHash) {
        this.firstSeq = firstSeq;
        this.path = path;
        this.bytes = bytes;
        this.sealedDataEnd = sealedDataEnd;
        this.sealedLastSeq = sealedLastSeq;
        this.sealedLastHash = sealedLastHash;
    }

    public static Segment sealed(Path path, SegmentFooter footer, long dataEnd) throws IOException {
        SegmentBytes mapped = MappedSegmentBytes.tryMap(path);
        return new Segment(footer.firstSeq(), path, mapped != null ? mapped : new ChannelSegmentBytes(path), dataEnd, footer.lastSeq(), footer.lastChainHash());
    }

    public static Segment active(Path path, long firstSeq) throws IOException {
        return new Segment(firstSeq, path, new ChannelSegmentBytes(path), -1, -1, null);
    }

    /** Called by the writer once the footer is on disk: later reads use a mapping. */
    synchronized void markSealed(long lastSeq, byte[] lastHash, long dataEnd) throws IOException {
        SegmentBytes mapped = MappedSegmentBytes.tryMap(path);
        sealedLastSeq = lastSeq;
        sealedLastHash = lastHash;
        sealedDataEnd = dataEnd;
        if (mapped != null) {
            retired = bytes;
            bytes = mapped;
        }
    }

    public long firstSeq() { return firstSeq; }
    public Path path() { return path; }
    public SegmentBytes bytes() { return bytes; }
    public boolean isSealed() { return sealedDataEnd >= 0; }
    /** Last seq of a sealed segment; -1 while active. */
    public long sealedLastSeq() { return sealedLastSeq; }
    /** Chain hash of the last event of a sealed segment; null while active. */
    public byte[] sealedLastHash() { return sealedLastHash; }
    /** End of frames of a sealed segment; -1 while active. */
    public long sealedDataEnd() { return sealedDataEnd; }

    public synchronized void close() throws IOException {
        bytes.close();
        if (retired != null) retired.close();
    }

    @Override
    public String toString() {
        return path.getFileName().toString();
    }
}
