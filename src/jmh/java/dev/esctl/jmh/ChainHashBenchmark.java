package dev.esctl.jmh;

import dev.esctl.storage.FrameCodec;
import dev.esctl.storage.FrameLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * One step of the hash chain, per event: SHA-256(previous chain hash || the frame's bytes
 * before its hash field), over the 324-byte frame of a {@value SampleEvents#DATA_BYTES}-byte
 * event that {@link FrameCodec} encoded. {@code FrameCodec}'s own chain-hash method is private,
 * so this makes the same three {@link MessageDigest} calls it makes (update with the previous
 * hash, update with a view of the frame, digest into a reused array); the set-up checks that
 * the result equals the hash {@code FrameCodec} wrote into the frame. The difference between
 * {@code FrameCodecBenchmark.checkInSequence} and {@code check} measures the same step through
 * the codec itself.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ChainHashBenchmark {
    private final byte[] prevHash = new byte[FrameLayout.HASH_BYTES];
    private final byte[] out = new byte[FrameLayout.HASH_BYTES];
    private MessageDigest sha256;
    private ByteBuffer view;
    private int hashedBytes;

    @Setup
    public void setUp() throws NoSuchAlgorithmException, DigestException {
        sha256 = MessageDigest.getInstance("SHA-256");
        Arrays.fill(prevHash, (byte) 0x5a);
        ByteBuffer frame = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
        byte[] hash = prevHash.clone();
        int length = new FrameCodec().encode(frame, 1_234_567, 42, SampleEvents.TIME_MICROS, SampleEvents.ID.getMostSignificantBits(),
                SampleEvents.ID.getLeastSignificantBits(), SampleEvents.utf8(SampleEvents.STREAM), SampleEvents.utf8(SampleEvents.TYPE),
                null, SampleEvents.data(SampleEvents.DATA_BYTES), FrameLayout.FLAG_COMMIT, 7, hash);
        hashedBytes = FrameLayout.hashOffset(length);
        view = frame.duplicate();
        step();
        if (!Arrays.equals(out, hash)) throw new IllegalStateException("this step does not compute FrameCodec's chain hash");
    }

    @Benchmark
    public byte[] step() throws DigestException {
        sha256.update(prevHash, 0, FrameLayout.HASH_BYTES);
        sha256.update(view.limit(hashedBytes).position(0));
        sha256.digest(out, 0, FrameLayout.HASH_BYTES);
        return out;
    }
}
