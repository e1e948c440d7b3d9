package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Makes a range of one segment's bytes addressable as a little-endian buffer. For a mapped
 * segment that is the mapping itself (no copy); otherwise a private buffer refilled by
 * positional reads. Never reads at or beyond the limit it is given, so bytes past the commit
 * position are never seen. Not thread-safe: one per reader.
 */
final class ReadWindow {
    /** Sequential readers refill in large reads; lookups read little more than one frame. */
    static final int SEQUENTIAL_BYTES = 64 * 1024;
    static final int LOOKUP_BYTES = 8 * 1024;

    private final SegmentBytes bytes;
    private final int defaultBytes;
    private final ByteBuffer mapped;
    private ByteBuffer buffer;
    private long base;
    private int length;

    ReadWindow(SegmentBytes bytes) {
        this(bytes, SEQUENTIAL_BYTES);
    }

    ReadWindow(SegmentBytes bytes, int defaultBytes) {
        this.bytes = bytes;
        this.mapped = bytes.mapped();
        this.defaultBytes = defaultBytes;
    }

    /**
     * Makes bytes [offset, offset + need) addressable, clipped to {@code limit}, and returns the
     * index of {@code offset} in {@link #buffer()}. Fewer bytes are available only when the
     * limit comes first; {@link #end()} tells where the valid bytes end.
     */
    int locate(long offset, int need, long limit) throws IOException {
        if (mapped != null) {
            length = (int) Math.min(limit, mapped.capacity());
            return (int) offset;
        }
        if (buffer != null && offset >= base && offset + need <= base + length) {
            return (int) (offset - base);
        }
        int capacity = Math.max(need, buffer == null ? defaultBytes : buffer.capacity());
        if (buffer == null || buffer.capacity() < capacity) {
            buffer = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        }
        int toRead = (int) Math.max(0, Math.min(capacity, limit - offset));
        buffer.clear().limit(toRead);
        base = offset;
        length = bytes.read(offset, buffer);
        return 0;
    }

    /**
     * As {@link #locate}, for a reader walking backwards: a refill ends at {@code offset + need},
     * so the bytes before {@code offset} come along and the next step back needs no read.
     */
    int locateBackward(long offset, int need, long limit) throws IOException {
        if (mapped != null || (buffer != null && offset >= base && offset + need <= base + length)) {
            return locate(offset, need, limit);
        }
        int capacity = Math.max(need, buffer == null ? defaultBytes : buffer.capacity());
        long start = Math.max(0, offset + need - capacity);
        int at = locate(start, (int) (offset + need - start), limit);
        return at + (int) (offset - start);
    }

    ByteBuffer buffer() {
        return mapped != null ? mapped : buffer;
    }

    /** Index in {@link #buffer()} where the valid bytes end. */
    int end() {
        return length;
    }

    /** Drops a private buffer (a mapped window holds none), so an idle reader keeps no memory. */
    void release() {
        buffer = null;
        length = 0;
    }
}
