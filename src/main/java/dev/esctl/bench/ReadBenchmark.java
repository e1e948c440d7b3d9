package dev.esctl.bench;

import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.ReadQuery;
import dev.esctl.index.StreamInfo;
import dev.esctl.storage.EventRecord;
import dev.esctl.storage.FrameCodec;
import dev.esctl.storage.FrameLayout;
import dev.esctl.storage.LogCursor;
import dev.esctl.storage.Segment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * In-process read costs of an open store: heap after open, reading one stream (latency per
 * read), reading everything from seq 1 (events/s and MB/s of frames decoded), and, in the same
 * run, a plain sequential FileChannel read of the same segment bytes for comparison.
 */
public final class ReadBenchmark {
    private ReadBenchmark() {}

    public static BenchReport run(EventStore store, int samples, long seed) throws IOException {
        BenchReport report = new BenchReport("read (in-process)");
        long events = store.head().seq();
        int streams = store.streamCount();
        report.parameter("events", events).parameter("streams", streams).parameter("samples", samples);
        report.result("open ms", store.openNanos() / 1e6);
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        report.result("heap after open MiB", heap / 1048576.0);
        report.result("stream table bytes/stream", streams == 0 ? 0.0 : store.index().streamTableHeapBytes() / (double) streams);
        report.result("heap bytes/stream", streams == 0 ? 0.0 : heap / (double) streams);

        // One stream, all its events, chosen at random.
        Histogram oneStream = new Histogram(3);
        List<StreamInfo> list = store.streams("");
        Random random = new Random(seed);
        long eventsRead = 0;
        for (int i = 0; i < samples + samples / 10 && !list.isEmpty(); i++) {
            String stream = list.get(random.nextInt(list.size())).stream();
            long t0 = System.nanoTime();
            try (EventReader r = store.read(ReadQuery.stream(stream))) {
                while (r.next() != null) eventsRead++;
            }
            if (i >= samples / 10) oneStream.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
        }
        report.result("one-stream reads", oneStream.getTotalCount());
        report.result("events per stream read", oneStream.getTotalCount() == 0 ? 0.0 : eventsRead / (double) (samples + samples / 10));
        report.result("one stream p50 ms", oneStream.getValueAtPercentile(50) / 1000.0);
        report.result("one stream p99 ms", oneStream.getValueAtPercentile(99) / 1000.0);

        // Everything, from seq 1: frames checked (CRC, seq) and walked, without building objects.
        long t0 = System.nanoTime();
        long checked = 0, checkedBytes = 0;
        try (LogCursor c = LogCursor.from(store.head(), 1)) {
            while (c.next()) {
                checked++;
                checkedBytes += FrameCodec.length(c.frameBuffer(), c.frameIndex());
            }
        }
        double checkSeconds = (System.nanoTime() - t0) / 1e9;
        report.result("walk all events/s", checked / checkSeconds);
        report.result("walk all MB/s (frames)", checkedBytes / checkSeconds / 1e6);

        // Everything, from seq 1, decoded into events.
        t0 = System.nanoTime();
        long n = 0, frameBytes = 0;
        try (EventReader r = store.read(ReadQuery.all())) {
            for (EventRecord e; (e = r.next()) != null; ) {
                n++;
                frameBytes += FrameLayout.frameLength(e.stream().length(), e.type().length(), e.meta() == null ? 0 : e.meta().length, e.data().length);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.result("read all events/s", n / seconds);
        report.result("read all MB/s (frames)", frameBytes / seconds / 1e6);

        // The same bytes, read plainly.
        t0 = System.nanoTime();
        long bytes = 0;
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        for (Segment s : store.head().segments()) {
            try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ)) {
                long p = 0;
                int k;
                while ((k = ch.read(buf.clear(), p)) > 0) {
                    p += k;
                    bytes += k;
                }
            }
        }
        seconds = (System.nanoTime() - t0) / 1e9;
        report.result("plain FileChannel MB/s", bytes / seconds / 1e6);
        report.result("walk all / plain", (checkedBytes / checkSeconds) / (bytes / seconds));
        report.result("read all / plain", ((double) report.result("read all MB/s (frames)")) / (bytes / seconds / 1e6));
        return report;
    }
}
