package dev.esctl.bench;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.AppendResult;
import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.Watch;
import dev.esctl.engine.WatchQuery;
import dev.esctl.index.StreamInfo;
import dev.esctl.storage.EventRecord;
import dev.esctl.wire.EventWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The load goes straight to an open store: the engine's cost without HTTP. Reads are encoded
 * to ndjson as the daemon would send them (into a counter), so events/s and MB/s compare with
 * a run over HTTP.
 */
final class InProcessTarget implements LoadTarget {
    private final EventStore store;
    private final byte[] data;

    InProcessTarget(EventStore store, byte[] data) {
        this.store = store;
        this.data = data;
    }

    @Override
    public Connection connect() {
        return new InProcessConnection();
    }

    @Override
    public long headSeq() {
        return store.head().seq();
    }

    @Override
    public List<String> streams(int max) {
        List<String> names = new ArrayList<>();
        for (StreamInfo s : store.streams("")) {
            if (names.size() >= max) break;
            names.add(s.stream());
        }
        return names;
    }

    @Override
    public ServerProbe probe() {
        return null;
    }

    @Override
    public String describe() {
        return "in-process, fsync " + store.config().fsync();
    }

    private final class InProcessConnection implements Connection {
        private final ByteCounter counter = new ByteCounter();
        private final EventWriter writer = new EventWriter(counter);
        private volatile Watch watch;
        private volatile boolean closed;

        @Override
        public long[] append(String stream, int events) {
            List<NewEvent> batch = new ArrayList<>(events);
            for (int i = 0; i < events; i++) batch.add(new NewEvent(stream, "BenchEvent", null, data, null));
            AppendResult r = store.append(AppendBatch.toStream(batch, Expectation.ANY, store.config().maxEventBytes()));
            return new long[] {r.firstSeq(), r.lastSeq()};
        }

        @Override
        public ReadCount read(String stream) throws IOException {
            SeqCheck check = new SeqCheck(stream == null);
            long bytesBefore = counter.bytes;
            try (EventReader r = store.read(stream == null ? ReadQuery.all() : ReadQuery.stream(stream))) {
                for (EventRecord e; (e = r.next()) != null; ) {
                    check.seq(e.seq());
                    writer.write(e);
                }
            }
            return new ReadCount(check.count(), counter.bytes - bytesBefore, check.first(), check.last());
        }

        @Override
        public void watch(WatchSpec spec, WatchSink sink) {
            Watch w = store.watch(new WatchQuery(spec.stream(), spec.recursive(), Set.of(), 1, 0, true));
            watch = w;
            try {
                if (closed) return;
                sink.caughtUp();
                while (!closed) {
                    EventRecord e = w.next(200, TimeUnit.MILLISECONDS);
                    if (e == null) continue;
                    if (e.stream().startsWith(spec.own())) sink.event(e.seq(), System.nanoTime());
                    else sink.foreign();
                }
            } finally {
                w.close();
                w.release();
            }
        }

        @Override
        public void close() {
            closed = true;
            Watch w = watch;
            if (w != null) w.close();
        }
    }

    /** Counts what the writer would send. */
    private static final class ByteCounter extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
