package dev.esctl.bench;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.AppendResult;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.NewEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;

/**
 * Fills a store with a synthetic workload for benchmarks: N events of about S bytes spread
 * round-robin over K streams named {@code acct/<i/1000>/<i%1000>}, appended in multi-stream
 * batches with a few batches in flight (so group commit works as it would under load).
 */
public final class Populate {
    private Populate() {}

    public static String streamName(long i) {
        return "acct/" + (i / 1000) + "/" + (i % 1000);
    }

    public static BenchReport run(EventStore store, long events, long streams, int eventBytes, int batchEvents, LongConsumer progress) throws Exception {
        byte[] data = AppendBenchmark.payload(eventBytes);
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<AppendResult>> pending = new ArrayList<>();
        long start = System.nanoTime();
        long done = 0;
        for (long i = 0; i < events; ) {
            int n = (int) Math.min(batchEvents, events - i);
            List<NewEvent> batch = new ArrayList<>(n);
            for (int k = 0; k < n; k++, i++) batch.add(new NewEvent(streamName(i % streams), "Deposited", null, data, null));
            inFlight.acquire();
            CompletableFuture<AppendResult> f = store.appendAsync(new AppendBatch(batch, Map.of(), store.config().maxEventBytes()));
            f.whenComplete((r, e) -> inFlight.release());
            pending.add(f);
            if (pending.size() >= 64) {
                for (CompletableFuture<AppendResult> p : pending) done += p.join().count();
                pending.clear();
                progress.accept(done);
            }
        }
        for (CompletableFuture<AppendResult> p : pending) done += p.join().count();
        progress.accept(done);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new BenchReport("populate (in-process)")
                .parameter("events", events)
                .parameter("streams", streams)
                .parameter("event data bytes", eventBytes)
                .parameter("batch events", batchEvents)
                .parameter("fsync", store.config().fsync().toString())
                .result("events", done)
                .result("events/s", done / seconds)
                .result("seconds", seconds)
                .result("head seq", store.head().seq());
    }
}
