package dev.esctl.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Runs of zero bytes in segment files: the unused part of a pre-allocated segment, the end of
 * the log (zeros never validate as a frame), what recovery writes over a cut. Compared and
 * written a MiB at a time, so a 256 MiB pre-allocated tail costs milliseconds from the cache.
 */
final class Zeros {
    private Zeros() {}

    static final int CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();

    /** True when bytes [from, to) are all zero (bytes past the end of the file count as zero). */
    static boolean isZero(SegmentBytes bytes, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(CHUNK);
        for (long p = from; p < to; ) {
            b.clear().limit((int) Math.min(b.capacity(), to - p));
            int n = bytes.read(p, b);
            if (n <= 0) return true;
            b.flip();
            if (b.mismatch(ZEROS.duplicate().limit(n)) >= 0) return false;
            p += n;
        }
        return true;
    }

    /** The offset of the last byte that is not zero in [from, to), walking back from the end; from - 1 when none. */
    static long lastNonZero(SegmentBytes bytes, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(CHUNK);
        for (long end = to; end > from; ) {
            long start = Math.max(from, end - b.capacity());
            b.clear().limit((int) (end - start));
            int n = bytes.read(start, b);
            b.flip();
            if (n > 0 && b.mismatch(ZEROS.duplicate().limit(n)) >= 0) {
                for (int i = n - 1; i >= 0; i--) if (b.get(i) != 0) return start + i;
            }
            end = start;
        }
        return from - 1;
    }

    /** Writes zeros over [from, to). */
    static void write(FileChannel ch, long from, long to) throws IOException {
        for (long p = from; p < to; ) {
            ByteBuffer z = ZEROS.duplicate().limit((int) Math.min(CHUNK, to - p));
            while (z.hasRemaining()) p += ch.write(z, p);
        }
    }
}
