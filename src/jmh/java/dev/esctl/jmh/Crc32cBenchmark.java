package dev.esctl.jmh;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CRC32C of every frame, segment header, checkpoint and index file, called the way
 * {@code FrameCodec} calls it: one reused {@link CRC32C}, {@code reset}, {@code update} over a
 * {@link ByteBuffer}, {@code getValue}. 256 bytes is about one small frame, 4 KiB a large one;
 * {@code direct} is the writer's buffer and a mapped segment, {@code heap} the read window of
 * the active segment.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class Crc32cBenchmark {
    @Param({"256", "4096"})
    public int bytes;

    @Param({"direct", "heap"})
    public String buffer;

    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf;

    @Setup
    public void setUp() {
        byte[] content = new byte[bytes];
        new Random(42).nextBytes(content);
        buf = buffer.equals("direct") ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
        buf.put(content).clear();
    }

    @Benchmark
    public long crc32c() {
        crc.reset();
        crc.update(buf.clear());
        return crc.getValue();
    }
}
