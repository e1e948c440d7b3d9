package dev.esctl.jmh;

import dev.esctl.storage.EventRecord;
import dev.esctl.storage.FrameLayout;
import dev.esctl.wire.EventWriter;
import java.io.IOException;
import java.io.OutputStream;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link EventWriter#write(EventRecord)}: one event of {@value SampleEvents#DATA_BYTES} bytes of
 * data as one ndjson output line (seq, stream, version, type, id, RFC 3339 time, data), what
 * every read and watch does per event. The line goes to a stream that only keeps a reference to it
 * (handed to a {@link Blackhole}), so this measures the encoding, not a socket or a copy.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class EventWriterBenchmark {
    /** Keeps a reference to the last line written: the benchmark hands it to a Blackhole. */
    private static final class Sink extends OutputStream {
        byte[] last;
        int length;

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException("EventWriter writes whole lines");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            last = b;
            length = len;
        }
    }

    private final Sink sink = new Sink();
    private final EventWriter writer = new EventWriter(sink);
    private EventRecord event;

    @Setup
    public void setUp() {
        event = new EventRecord(1_234_567, SampleEvents.STREAM, 42, SampleEvents.TYPE, SampleEvents.ID, SampleEvents.TIME_MICROS,
                SampleEvents.data(SampleEvents.DATA_BYTES), null, new byte[FrameLayout.HASH_BYTES], FrameLayout.FLAG_COMMIT);
    }

    @Benchmark
    public int writeOneEvent(Blackhole bh) throws IOException {
        writer.write(event);
        bh.consume(sink.last);
        return sink.length;
    }
}
