package dev.esctl.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sequential positional reads of one file through a reusable window, so a checker can look at
 * any span of up to one frame by offset without mapping the file (jimfs cannot map) and
 * without reading a byte twice on a forward walk. Not thread-safe.
 */
final class FileWindow implements AutoCloseable {
    static final int DEFAULT_BYTES = 4 * 1024 * 1024;

    private final FileChannel channel;
    private final long size;
    /** A heap buffer: SHA-256 digests a heap array in place, but copies a direct buffer out in small pieces first. */
    private ByteBuffer buffer = ByteBuffer.allocate(DEFAULT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long base;
    private int length;

    FileWindow(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
    }

    /** The file's size when it was opened: the walk never reads beyond it, even if the file grows. */
    long size() {
        return size;
    }

    /**
     * Makes bytes [offset, offset + need) addressable, clipped to the file's size, and returns
     * the index of {@code offset} in {@link #buffer()}; {@link #end()} tells where valid bytes end.
     */
    int locate(long offset, int need) throws IOException {
        long wanted = Math.min(need, Math.max(0, size - offset));
        if (offset >= base && offset + wanted <= base + length) return (int) (offset - base);
        if (buffer.capacity() < wanted) buffer = ByteBuffer.allocate((int) wanted).order(ByteOrder.LITTLE_ENDIAN);
        buffer.clear().limit((int) Math.min(buffer.capacity(), Math.max(0, size - offset)));
        int n = 0;
        while (buffer.hasRemaining()) {
            int r = channel.read(buffer, offset + n);
            if (r < 0) break;
            n += r;
        }
        base = offset;
        length = n;
        return 0;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    /** Index in {@link #buffer()} where the valid bytes end. */
    int end() {
        return length;
    }

    /** True when every byte in [from, to) is zero. */
    boolean isZero(long from, long to) throws IOException {
        for (long p = from; p < to; ) {
            int at = locate(p, (int) Math.min(DEFAULT_BYTES, to - p));
            int n = (int) Math.min(end() - at, to - p);
            if (n <= 0) return true;
            for (int i = 0; i < n; i++) if (buffer.get(at + i) != 0) return false;
            p += n;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
