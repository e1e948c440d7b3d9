package dev.esctl.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.HdrHistogram.Histogram;

/**
 * The disk's own durable-write rate, measured the way the store writes: one thread, a 4 KiB
 * write then fdatasync ({@code FileChannel.force(false)}), either appending to a growing file or
 * overwriting space that was written and forced before. The ratio of the store's figures to
 * these is what group commit buys.
 */
public final class FsyncBenchmark {
    private final Path dir;
    private final long durationMs;

    public FsyncBenchmark(Path dir, long durationMs) {
        this.dir = dir;
        this.durationMs = durationMs;
    }

    public BenchReport run(boolean preallocated) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "fsync-bench", ".tmp");
        ByteBuffer block = ByteBuffer.allocateDirect(4096);
        Histogram latency = new Histogram(3);
        long ops = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            long span = 64L * 1024 * 1024;
            if (preallocated) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                for (long p = 0; p < span; p += zeros.capacity()) {
                    zeros.clear();
                    ch.write(zeros, p);
                }
                ch.force(true);
            }
            long start = System.nanoTime(), deadline = start + durationMs * 1_000_000L;
            long position = 0;
            while (System.nanoTime() < deadline) {
                block.clear();
                long t0 = System.nanoTime();
                ch.write(block, position);
                ch.force(false);
                latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                position = (position + 4096) % span;
                ops++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new BenchReport("fsync (raw disk, 4 KiB write + fdatasync)")
                    .parameter("file", preallocated ? "pre-allocated (overwrite)" : "growing (append)")
                    .parameter("directory", dir)
                    .result("fsyncs", ops)
                    .result("fsyncs/s", ops / seconds)
                    .latency(latency);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
