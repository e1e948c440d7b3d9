package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Read access to the bytes of one segment file. Thread-safe: every read is positional.
 * Two implementations: {@link MappedSegmentBytes} for sealed segments on a real disk (zero-copy)
 * and {@link ChannelSegmentBytes} for the active segment and for file systems that cannot map.
 */
public interface SegmentBytes extends AutoCloseable {

    /**
     * The whole file as one little-endian buffer indexed by file offset, or null when this
     * implementation reads through a channel instead.
     */
    ByteBuffer mapped();

    /** Reads bytes [offset, offset + dst.remaining()) into dst, fewer only at end of file; returns the count. */
    int read(long offset, ByteBuffer dst) throws IOException;

    @Override
    void close() throws IOException;
}
