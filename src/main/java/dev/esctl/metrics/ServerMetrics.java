package dev.esctl.metrics;

import dev.esctl.server.AppendStats;
import dev.esctl.server.EsctlServer;
import dev.esctl.server.HttpStats;
import dev.esctl.server.ReadStats;
import dev.esctl.server.WatchRegistry;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The daemon's metrics: HTTP requests by method, route template and status; append requests
 * and refusals by reason; reads by kind with the events and bytes served; watchers and their
 * lag. All read from the server's plain counters when scraped.
 */
final class ServerMetrics {
    private ServerMetrics() {}

    static void register(EsctlServer server, PrometheusRegistry registry) {
        HttpStats http = server.httpStats();
        ReadStats reads = server.readStats();
        AppendStats appends = server.appendStats();
        WatchRegistry watches = server.watches();

        CounterWithCallback.builder().name("esctl_http_requests")
                .help("HTTP requests answered, by method, route (a template such as /streams/:stream, never the raw path) and status")
                .labelNames("method", "route", "status")
                .callback(cb -> http.snapshot().forEach((k, v) -> cb.call(v, k.method(), k.route(), k.status())))
                .register(registry);
        CounterWithCallback.builder().name("esctl_append_requests")
                .help("Append requests received over HTTP (POST /streams/{stream} and POST /events), whatever their outcome")
                .callback(cb -> cb.call(appends.requests())).register(registry);
        CounterWithCallback.builder().name("esctl_append_refusals")
                .help("Append requests refused, by reason: the error code of the answer (wrong_expected_version, overloaded, invalid_json, ...)")
                .labelNames("reason")
                .callback(cb -> appends.refusals().forEach((reason, n) -> cb.call(n, reason)))
                .register(registry);
        CounterWithCallback.builder().name("esctl_read_requests")
                .help("Read requests by kind: stream, subtree, all (GET /events), list (GET /streams), watch")
                .labelNames("kind")
                .callback(cb -> {
                    for (ReadStats.Kind k : ReadStats.Kind.values()) cb.call(reads.requests(k), k.label());
                }).register(registry);
        CounterWithCallback.builder().name("esctl_read_events")
                .help("Events sent to readers and watchers, by kind of read")
                .labelNames("kind")
                .callback(cb -> {
                    for (ReadStats.Kind k : ReadStats.Kind.values()) if (k != ReadStats.Kind.LIST) cb.call(reads.events(k), k.label());
                }).register(registry);
        CounterWithCallback.builder().name("esctl_read_bytes").unit(Unit.BYTES)
                .help("Bytes of ndjson sent to readers and watchers, by kind of read")
                .labelNames("kind")
                .callback(cb -> {
                    for (ReadStats.Kind k : ReadStats.Kind.values()) if (k != ReadStats.Kind.LIST) cb.call(reads.bytes(k), k.label());
                }).register(registry);
        GaugeWithCallback.builder().name("esctl_watchers_active")
                .help("Watches being served now")
                .callback(cb -> cb.call(watches.active())).register(registry);
        CounterWithCallback.builder().name("esctl_watches")
                .help("Watches started since the server started")
                .callback(cb -> cb.call(watches.served())).register(registry);
        GaugeWithCallback.builder().name("esctl_watchers_lag_max_events")
                .help("Events the most lagging watcher has yet to examine (0: every watcher is at the head)")
                .callback(cb -> cb.call(watches.maxLag())).register(registry);
        GaugeWithCallback.builder().name("esctl_watchers_lag_sum_events")
                .help("Events all watchers together have yet to examine")
                .callback(cb -> cb.call(watches.sumLag())).register(registry);
    }
}
