package dev.esctl.metrics;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.WriterStats;
import dev.esctl.server.EsctlServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Every metric of one store (and of the server over it), in a registry of its own, written in
 * the Prometheus text format by the client library. Build it with {@link #of}, attach
 * {@link #listener()} to the store's {@link WriterStats} (directly, or among others with
 * {@link WriterListeners}), add the server's with {@link #withServer}. Thread-safe: scrapes may
 * run concurrently with each other and with the writer.
 */
public final class StoreMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final WriteMetrics write;

    private StoreMetrics(EventStore store, boolean jvm) {
        write = new WriteMetrics(store, registry);
        registry.register(new StorageCollector(store));
        if (jvm) JvmMetrics.builder().register(registry);
    }

    /** The store's metrics and the JVM's (heap, GC, threads, process). */
    public static StoreMetrics of(EventStore store) {
        return new StoreMetrics(store, true);
    }

    /** The store's metrics only (for tests and the benchmark). */
    public static StoreMetrics withoutJvm(EventStore store) {
        return new StoreMetrics(store, false);
    }

    /** Adds the server's metrics: HTTP requests, appends refused, reads, watches. */
    public StoreMetrics withServer(EsctlServer server) {
        ServerMetrics.register(server, registry);
        return this;
    }

    /** Feeds the histograms; attach to the store's {@link WriterStats}. */
    public WriterStats.Listener listener() {
        return write;
    }

    /** Writes every metric's current value in the Prometheus text format (version 0.0.4). */
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    public String contentType() {
        return writer.getContentType();
    }
}
