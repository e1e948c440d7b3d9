package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Positional reads through a read-only channel: for the active segment, and where mapping is unavailable. */
public final class ChannelSegmentBytes implements SegmentBytes {
    private final FileChannel channel;

    public ChannelSegmentBytes(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    @Override
    public ByteBuffer mapped() {
        return null;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, offset + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
