package dev.esctl.jmh;

import dev.esctl.storage.EventRecord;
import dev.esctl.storage.FrameCodec;
import dev.esctl.storage.FrameLayout;
import dev.esctl.storage.FrameStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link FrameCodec} on one event of {@value SampleEvents#DATA_BYTES} bytes of data (stream
 * {@code orders/42}, type {@code OrderPlaced}, no meta; a 324-byte frame), in direct buffers
 * as the writer's buffer and the mapped segments are:
 * <ul>
 *   <li>{@code encode}: what the writer thread does per event: header, names, data, the
 *   SHA-256 chain hash and the CRC32C;</li>
 *   <li>{@code check}: what every reader does before it exposes a frame: magic, lengths, CRC;</li>
 *   <li>{@code checkAndDecode}: check, then build the {@link EventRecord} a read returns;</li>
 *   <li>{@code checkInSequence}: what recovery and fsck do: check, seq, and recompute the
 *   chain hash.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FrameCodecBenchmark {
    private static final long SEQ = 1_234_567;
    private static final long VERSION = 42;

    private final FrameCodec codec = new FrameCodec();
    private final byte[] stream = SampleEvents.utf8(SampleEvents.STREAM);
    private final byte[] type = SampleEvents.utf8(SampleEvents.TYPE);
    private final byte[] data = SampleEvents.data(SampleEvents.DATA_BYTES);
    /** In: the previous event's chain hash; encode overwrites it with the new one, as the writer does. */
    private final byte[] chainHash = new byte[FrameLayout.HASH_BYTES];
    private final byte[] prevHash = new byte[FrameLayout.HASH_BYTES];
    private ByteBuffer out;
    private ByteBuffer frame;
    private int frameLength;

    @Setup
    public void setUp() {
        Arrays.fill(prevHash, (byte) 0x5a);
        out = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
        frame = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
        byte[] hash = prevHash.clone();
        frameLength = codec.encode(frame, SEQ, VERSION, SampleEvents.TIME_MICROS, SampleEvents.ID.getMostSignificantBits(),
                SampleEvents.ID.getLeastSignificantBits(), stream, type, null, data, FrameLayout.FLAG_COMMIT, 7, hash);
        frame.clear();
        if (codec.checkInSequence(frame, 0, frameLength, SEQ, prevHash) != FrameStatus.VALID) {
            throw new IllegalStateException("the sample frame does not check");
        }
    }

    @Benchmark
    public int encode() {
        out.clear();
        return codec.encode(out, SEQ, VERSION, SampleEvents.TIME_MICROS, SampleEvents.ID.getMostSignificantBits(),
                SampleEvents.ID.getLeastSignificantBits(), stream, type, null, data, FrameLayout.FLAG_COMMIT, 7, chainHash);
    }

    @Benchmark
    public FrameStatus check() {
        return codec.check(frame, 0, frameLength);
    }

    @Benchmark
    public EventRecord checkAndDecode() {
        FrameStatus status = codec.check(frame, 0, frameLength);
        if (status != FrameStatus.VALID) throw new IllegalStateException("frame is " + status);
        return codec.decode(frame, 0);
    }

    @Benchmark
    public FrameStatus checkInSequence() {
        return codec.checkInSequence(frame, 0, frameLength, SEQ, prevHash);
    }
}
