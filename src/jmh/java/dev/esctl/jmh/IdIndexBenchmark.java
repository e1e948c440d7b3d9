package dev.esctl.jmh;

import dev.esctl.index.IdIndex;
import java.util.SplittableRandom;
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
 * The {@link IdIndex} at its default window of {@value IdIndex#DEFAULT_WINDOW} ids, full, with
 * random (version 4 style) ids, visited in a random order:
 * <ul>
 *   <li>{@code findPresent}: a retried append whose id is in the window;</li>
 *   <li>{@code findAbsent}: the usual case, checked for every event that carries an id;</li>
 *   <li>{@code addWhenFull}: the writer recording a new event's id, the oldest id leaving the
 *   window (backward-shift deletion).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class IdIndexBenchmark {
    private static final int WINDOW = IdIndex.DEFAULT_WINDOW;
    /** Ids cycle through twice the window, so an id is added again only long after it left. */
    private static final int IDS = 2 * WINDOW;

    private final long[] msbs = new long[IDS];
    private final long[] lsbs = new long[IDS];
    private final IdIndex index = new IdIndex(WINDOW);
    private final SplittableRandom random = new SplittableRandom(42);
    private long seq;
    private int nextId;

    @Setup
    public void setUp() {
        for (int i = 0; i < IDS; i++) {
            msbs[i] = random.nextLong() & ~0xF000L | 0x4000L;
            lsbs[i] = random.nextLong() & ~(0x3L << 62) | (0x2L << 62);
        }
        while (seq < WINDOW) add();
    }

    private void add() {
        seq++;
        index.add(seq, msbs[nextId], lsbs[nextId]);
        nextId = nextId + 1 == IDS ? 0 : nextId + 1;
    }

    /** An id now in the window, chosen at random among the window's ids. */
    private int presentId() {
        int back = 1 + random.nextInt(WINDOW);
        return Math.floorMod(nextId - back, IDS);
    }

    @Benchmark
    public long findPresent() {
        int i = presentId();
        return index.find(msbs[i], lsbs[i]);
    }

    @Benchmark
    public long findAbsent() {
        int i = Math.floorMod(presentId() + WINDOW, IDS);
        return index.find(msbs[i], lsbs[i]);
    }

    @Benchmark
    public long addWhenFull() {
        add();
        return seq;
    }
}
