package dev.esctl.jmh;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.StoreConfig;
import dev.esctl.wire.BatchAssembler;
import dev.esctl.wire.EventParser;
import dev.esctl.wire.LineReader;
import dev.esctl.wire.ParsedEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
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
 * The ndjson append input, parsed with the wire classes the HTTP append handler and
 * {@code esctl append} use:
 * <ul>
 *   <li>{@code oneLine}: {@link EventParser#parse} of one {@value SampleEvents#LINE_BYTES}-byte
 *   line naming stream, type, id and data (UTF-8 check, Jackson streaming parse, data sliced
 *   byte-for-byte, {@code NewEvent}; one parser parses the line again and again, so the stream
 *   and type are validated and hashed once and then shared, as between lines of one body);</li>
 *   <li>{@code body1000Lines}: a 1000-line body of such lines over 100 streams, all the way from
 *   bytes to an {@link AppendBatch}, as {@code AppendHandler} does: {@link LineReader},
 *   {@link EventParser}, {@link BatchAssembler}, {@code build} (which checks sizes and
 *   duplicate ids).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class NdjsonParseBenchmark {
    private static final int BODY_LINES = 1000;
    private static final int BODY_STREAMS = 100;
    private static final int MAX_EVENT_BYTES = StoreConfig.DEFAULT_MAX_EVENT_BYTES;

    private final EventParser parser = new EventParser(null, null);
    private byte[] line;
    private byte[] body;

    @Setup
    public void setUp() throws IOException {
        line = SampleEvents.line(SampleEvents.LINE_BYTES, SampleEvents.STREAM, SampleEvents.ID);
        Random random = new Random(42);
        ByteArrayOutputStream b = new ByteArrayOutputStream(BODY_LINES * (SampleEvents.LINE_BYTES + 1));
        for (int i = 0; i < BODY_LINES; i++) {
            // Ids must differ within a batch; same-length stream names keep every line at LINE_BYTES.
            UUID id = new UUID(random.nextLong(), random.nextLong());
            b.write(SampleEvents.line(SampleEvents.LINE_BYTES, String.format("orders/%03d", i % BODY_STREAMS), id));
            b.write('\n');
        }
        body = b.toByteArray();
        if (body1000Lines().size() != BODY_LINES) throw new IllegalStateException("the body did not parse into " + BODY_LINES + " events");
    }

    @Benchmark
    public ParsedEvent oneLine() {
        return parser.parse(line, 0, line.length, 1);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public AppendBatch body1000Lines() throws IOException {
        EventParser p = new EventParser(null, null);
        BatchAssembler batch = new BatchAssembler(null, Map.of());
        LineReader lines = new LineReader(new ByteArrayInputStream(body), MAX_EVENT_BYTES + 64 * 1024, Math.min(64 * 1024, body.length + 1));
        while (lines.next()) {
            long lineNo = lines.lineNumber();
            batch.add(p.parse(lines.bytes(), 0, lines.length(), lineNo), lineNo);
        }
        return batch.build(MAX_EVENT_BYTES);
    }
}
