package dev.esctl.jmh;

import dev.esctl.bench.Populate;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.FsyncPolicy;
import dev.esctl.engine.StoreConfig;
import dev.esctl.index.PostingCursor;
import dev.esctl.index.StoreIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Posting lookups (stream, version → seq) through {@link StoreIndex#postings}, the public entry
 * the stream reader uses, on a real store: the set-up appends {@code events} events of 200 bytes
 * round-robin over {@code streams} streams with {@code esctl bench populate}'s workload (fsync
 * never, default 256 MiB segments), closes it cleanly, and opens it read-only, so the postings
 * are in memory-mapped run files on disk, as after a restart; the run count is printed. Streams
 * are picked at random:
 * <ul>
 *   <li>{@code seqOfVersion}: the seq of one version of a stream (stream table probe, then a
 *   binary search in every run);</li>
 *   <li>{@code wholeStream}: every seq of a stream, as reading the whole stream walks them.</li>
 * </ul>
 * The set-up takes some seconds and about 330 MB of disk in the temporary directory; the store
 * is deleted afterwards.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PostingLookupBenchmark {
    @Param("1000000")
    public long events;

    @Param("100000")
    public int streams;

    private final SplittableRandom random = new SplittableRandom(42);
    private Path dir;
    private EventStore store;
    private StoreIndex index;
    private String[] names;
    private long eventsPerStream;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("esctl-jmh-postings");
        StoreConfig config = StoreConfig.defaults().withFsync(FsyncPolicy.NEVER);
        try (EventStore writing = EventStore.open(dir, config)) {
            Populate.run(writing, events, streams, SampleEvents.DATA_BYTES, 100, done -> {});
        }
        store = EventStore.openReadOnly(dir);
        index = store.index();
        names = new String[streams];
        for (int i = 0; i < streams; i++) names[i] = Populate.streamName(i);
        eventsPerStream = events / streams;
        if (index.stream(names[streams - 1]).lastVersion() != eventsPerStream) {
            throw new IllegalStateException("stream " + names[streams - 1] + " does not hold " + eventsPerStream + " events");
        }
        System.out.println("store: " + events + " events, " + streams + " streams, " + index.runCount() + " posting runs, "
                + store.head().segments().size() + " segments");
    }

    @TearDown
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Benchmark
    public long seqOfVersion() {
        String stream = names[random.nextInt(streams)];
        long version = 1 + random.nextLong(eventsPerStream);
        return index.postings(stream, false, false, version).next();
    }

    @Benchmark
    public void wholeStream(Blackhole bh) {
        PostingCursor c = index.postings(names[random.nextInt(streams)], false, false, 1);
        for (long seq = c.next(); seq >= 0; seq = c.next()) bh.consume(seq);
    }
}
