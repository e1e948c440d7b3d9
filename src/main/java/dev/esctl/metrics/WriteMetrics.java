package dev.esctl.metrics;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.WriterStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The write path's metrics. Counters are read from the writer's own {@link WriterStats} when
 * scraped (the writer pays nothing extra for them); the three histograms are fed by this
 * listener, on the writer's thread: classic buckets only and no exemplars, so an observation is
 * a bucket search and three striped adds, and never blocks.
 */
final class WriteMetrics implements WriterStats.Listener {
    /** Enqueue → acknowledgement, and one fsync: 50 µs to 10 s. */
    static final double[] LATENCY_SECONDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Events committed by one group (one write and one fsync). */
    static final double[] GROUP_EVENTS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384, 65536};

    private final Histogram appendLatency;
    private final Histogram groupEvents;
    private final Histogram fsyncDuration;

    WriteMetrics(EventStore store, PrometheusRegistry registry) {
        WriterStats w = store.stats();
        appendLatency = Histogram.builder().name("esctl_append_latency_seconds").unit(Unit.SECONDS)
                .help("Time from an append entering the write queue to its acknowledgement (durable per the fsync policy)")
                .classicOnly().classicUpperBounds(LATENCY_SECONDS).withoutExemplars().register(registry);
        groupEvents = Histogram.builder().name("esctl_commit_group_events")
                .help("Events committed per group commit (one write, one fsync under fsync=always)")
                .classicOnly().classicUpperBounds(GROUP_EVENTS).withoutExemplars().register(registry);
        fsyncDuration = Histogram.builder().name("esctl_fsync_duration_seconds").unit(Unit.SECONDS)
                .help("Time one force (fsync) of the log took; _count is the number of fsyncs")
                .classicOnly().classicUpperBounds(LATENCY_SECONDS).withoutExemplars().register(registry);

        counter(registry, "esctl_append_batches", "Append batches committed (each atomic, one request)", w::batches);
        counter(registry, "esctl_append_events", "Events committed", w::events);
        CounterWithCallback.builder().name("esctl_append_bytes").unit(Unit.BYTES)
                .help("Bytes of frames committed to the log (events as encoded on disk)")
                .callback(cb -> cb.call(w.bytes())).register(registry);
        counter(registry, "esctl_append_conflicts", "Append batches refused because an expected version did not hold", w::conflicts);
        counter(registry, "esctl_append_replays", "Retried append batches answered with the original result (same event ids)", w::replays);
        counter(registry, "esctl_commit_groups", "Group commits: drained batches written with one write and forced once", w::groups);
        counter(registry, "esctl_writer_failures", "Writes or fsyncs of the log that failed; the first one stops the writer (fail-stop)", w::failures);
        GaugeWithCallback.builder().name("esctl_writer_healthy")
                .help("1 while the writer accepts appends, 0 once a failed write or fsync stopped it (restart to recover)")
                .callback(cb -> cb.call(store.writerFailure() == null ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("esctl_write_queue_batches")
                .help("Append batches waiting in the write queue for the writer")
                .callback(cb -> cb.call(store.writeQueueDepth())).register(registry);
        GaugeWithCallback.builder().name("esctl_write_queue_capacity_batches")
                .help("Size of the write queue; when it is full, appends are refused as overloaded")
                .callback(cb -> cb.call(store.config().writeQueueRequests())).register(registry);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, java.util.function.LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    @Override
    public void committed(int events, long bytes, long latencyNanos) {
        appendLatency.observe(latencyNanos / 1e9);
    }

    @Override
    public void group(int batches, long events) {
        groupEvents.observe(events);
    }

    @Override
    public void forced(long nanos) {
        fsyncDuration.observe(nanos / 1e9);
    }
}
