package dev.esctl.index;

import dev.esctl.storage.FramePosition;
import dev.esctl.storage.SegmentLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * seq → byte offset for one segment, sparse like Kafka's offset index: one entry roughly every
 * {@link #INTERVAL_BYTES} of frames, so finding any seq costs a binary search here and a walk
 * over at most a few KiB of frames. The first frame (at the end of the segment header) needs no
 * entry.
 *
 * <p>File {@code index/<first seq>.offsets}: an {@link IndexFileHeader} (magic "ESIXOFFS",
 * first/last seq of the segment as indexed, extra = the offset where those frames end), then
 * entries {@code u64 seq, u64 offset} in ascending order. A crash leaves the previous file or
 * none (see {@link IndexFile}); a missing, corrupt or outdated file is rebuilt by scanning the
 * segment.
 *
 * <p>Thread-safety: one writer appends ({@link #add}) while readers call {@link #floor}; the
 * count is published after the entry, so readers only see complete entries.
 */
public final class OffsetIndex {
    public static final long MAGIC = 0x5346464f58495345L; // "ESIXOFFS" little-endian
    public static final int INTERVAL_BYTES = 4096;

    private final long segmentFirstSeq;
    private volatile long[] entries; // seq, offset, seq, offset, ...
    private volatile int count;
    private long lastOffset = SegmentLayout.HEADER_BYTES;

    public OffsetIndex(long segmentFirstSeq) {
        this(segmentFirstSeq, new long[64], 0);
    }

    private OffsetIndex(long segmentFirstSeq, long[] entries, int count) {
        this.segmentFirstSeq = segmentFirstSeq;
        this.entries = entries;
        this.count = count;
        if (count > 0) lastOffset = entries[2 * count - 1];
    }

    public long segmentFirstSeq() {
        return segmentFirstSeq;
    }

    /** Notes that frame {@code seq} starts at {@code offset}; keeps it when it is far enough from the last entry. Writer only. */
    public void add(long seq, long offset) {
        if (offset - lastOffset < INTERVAL_BYTES) return;
        int n = count;
        long[] e = entries;
        if (2 * n + 2 > e.length) {
            e = Arrays.copyOf(e, e.length * 2);
            entries = e;
        }
        e[2 * n] = seq;
        e[2 * n + 1] = offset;
        lastOffset = offset;
        count = n + 1;
    }

    /** The nearest known frame position at or before {@code seq} (the segment's first frame when none is nearer). */
    public FramePosition floor(long seq) {
        int n = count;
        long[] e = entries;
        int lo = 0, hi = n - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (e[2 * mid] <= seq) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? new FramePosition(segmentFirstSeq, segmentFirstSeq, SegmentLayout.HEADER_BYTES)
                : new FramePosition(e[2 * found], segmentFirstSeq, e[2 * found + 1]);
    }

    public int size() {
        return count;
    }

    /** Persists the entries, saying they hold for the segment's frames up to {@code lastSeq}, ending at {@code dataEnd}. */
    public void write(Path file, long lastSeq, long dataEnd, byte[] lastChainHash) throws IOException {
        int n = count;
        long[] e = entries;
        IndexFile.write(file, new IndexFile.HeaderFields(MAGIC, segmentFirstSeq, lastSeq, dataEnd, lastChainHash), sink -> {
            for (int i = 0; i < n; i++) {
                if (e[2 * i] > lastSeq) break;
                sink.putLong(e[2 * i]).putLong(e[2 * i + 1]);
                sink.entry();
            }
        });
    }

    /** A loaded file: the index and what its header claims (checked against the log by the caller). */
    public record Loaded(OffsetIndex index, IndexFileHeader header) {}

    public static Loaded read(Path file) throws IOException {
        IndexFile.Loaded f = IndexFile.read(file, MAGIC);
        IndexFileHeader h = f.header();
        if (h.count() * 16 != h.bodyLength() || h.count() > Integer.MAX_VALUE / 2) {
            throw new CorruptIndexException(file.getFileName() + ": " + h.count() + " entries do not fill " + h.bodyLength() + " bytes");
        }
        int n = (int) h.count();
        long[] e = new long[Math.max(64, 2 * n)];
        ByteBuffer body = f.body();
        body.asLongBuffer().get(0, e, 0, 2 * n);
        long prevSeq = h.firstSeq() - 1, prevOffset = SegmentLayout.HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            long seq = e[2 * i], offset = e[2 * i + 1];
            if (seq <= prevSeq || seq > h.lastSeq() || offset <= prevOffset || offset >= h.extra()) {
                throw new CorruptIndexException(file.getFileName() + ": entry " + i + " (seq " + seq + ", offset " + offset + ") is out of order or out of range");
            }
            prevSeq = seq;
            prevOffset = offset;
        }
        return new Loaded(new OffsetIndex(h.firstSeq(), e, n), h);
    }
}
