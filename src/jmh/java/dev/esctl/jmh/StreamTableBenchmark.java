package dev.esctl.jmh;

import dev.esctl.bench.Populate;
import dev.esctl.index.StreamHash;
import dev.esctl.index.StreamTable;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Stream-state lookups in a {@link StreamTable} of a million streams named as
 * {@code esctl bench populate} names them ({@code acct/<i/1000>/<i%1000>}), visited in a random
 * order so that each lookup misses the CPU caches as it would under real traffic:
 * <ul>
 *   <li>{@code lastVersion}: the writer's concurrency check per event; the name's hash was
 *   computed when the input line was parsed;</li>
 *   <li>{@code findByName}: a reader's lookup from a {@code String} (UTF-8 encode, hash, probe);</li>
 *   <li>{@code lastVersionOfNewStream}: the same check for a stream that does not exist yet.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class StreamTableBenchmark {
    private static final int MISSING_NAMES = 1 << 16;

    @Param("1000000")
    public int streams;

    private StreamTable table;
    private String[] names;
    private byte[][] utf8;
    private long[] hashes;
    private byte[][] missing;
    private long[] missingHashes;
    /** A random permutation of the streams: the order lookups visit them in. */
    private int[] order;
    private int next;

    @Setup
    public void setUp() {
        table = new StreamTable();
        names = new String[streams];
        utf8 = new byte[streams][];
        hashes = new long[streams];
        for (int i = 0; i < streams; i++) {
            names[i] = Populate.streamName(i);
            utf8[i] = SampleEvents.utf8(names[i]);
            hashes[i] = StreamHash.of(utf8[i]);
            table.advance(utf8[i], hashes[i], 1 + i % 50, i + 1L);
        }
        missing = new byte[MISSING_NAMES][];
        missingHashes = new long[MISSING_NAMES];
        for (int i = 0; i < MISSING_NAMES; i++) {
            missing[i] = SampleEvents.utf8("acct/new/" + i);
            missingHashes[i] = StreamHash.of(missing[i]);
        }
        Random random = new Random(42);
        order = new int[streams];
        for (int i = 0; i < streams; i++) order[i] = i;
        for (int i = streams - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        if (table.size() != streams) throw new IllegalStateException("table holds " + table.size() + " streams, not " + streams);
    }

    private int nextStream() {
        int i = order[next];
        next = next + 1 == order.length ? 0 : next + 1;
        return i;
    }

    @Benchmark
    public long lastVersion() {
        int i = nextStream();
        return table.lastVersion(utf8[i], hashes[i]);
    }

    @Benchmark
    public int findByName() {
        return table.find(names[nextStream()]);
    }

    @Benchmark
    public long lastVersionOfNewStream() {
        int i = nextStream() & (MISSING_NAMES - 1);
        return table.lastVersion(missing[i], missingHashes[i]);
    }
}
