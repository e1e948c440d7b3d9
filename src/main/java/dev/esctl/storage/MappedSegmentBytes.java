package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A sealed segment mapped read-only into memory. Sealed segments never change, so the mapping
 * is valid for the life of the process; the JDK unmaps it when it becomes unreachable.
 */
public final class MappedSegmentBytes implements SegmentBytes {
    private final ByteBuffer map;

    private MappedSegmentBytes(ByteBuffer map) {
        this.map = map;
    }

    /** Maps the file, or returns null when its file system cannot map (jimfs, for instance). */
    public static MappedSegmentBytes tryMap(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) throw new IOException("segment " + file + " is larger than 2 GiB and cannot be mapped");
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new MappedSegmentBytes(m.order(ByteOrder.LITTLE_ENDIAN));
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    @Override
    public ByteBuffer mapped() {
        return map;
    }

    @Override
    public int read(long offset, ByteBuffer dst) {
        int n = (int) Math.max(0, Math.min(dst.remaining(), map.capacity() - offset));
        dst.put(dst.position(), map, (int) offset, n);
        dst.position(dst.position() + n);
        return n;
    }

    @Override
    public void close() {
        // Nothing to release eagerly: a mapping cannot be unmapped safely while readers may hold it.
    }
}
