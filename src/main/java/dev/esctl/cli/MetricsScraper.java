package dev.esctl.cli;

import dev.esctl.bench.BenchReport;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.WriterStats;
import dev.esctl.metrics.StoreMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * For {@code esctl bench append --metrics}: the daemon's metrics over the benchmark's store
 * (the same registry, histograms and JVM collectors), scraped once a second into nothing, so
 * a run with metrics pays what a served store pays under a (keen) Prometheus.
 */
final class MetricsScraper implements AutoCloseable {
    private final StoreMetrics metrics;
    private final ScheduledExecutorService scraper;

    MetricsScraper(EventStore store) {
        metrics = StoreMetrics.of(store);
        scraper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-scraper");
            t.setDaemon(true);
            return t;
        });
        scraper.scheduleAtFixedRate(() -> {
            try {
                metrics.scrape(OutputStream.nullOutputStream());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("scraping the metrics failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    WriterStats.Listener listener() {
        return metrics.listener();
    }

    /** One line per client count: median events/s and p99 latency with metrics off and on, and the change. */
    static void printComparison(List<List<BenchReport>[]> byClients, PrintStream out) {
        out.println("metrics off vs on (medians of " + byClients.get(0)[0].size() + " run(s) each):");
        out.printf(Locale.ROOT, "  %8s %14s %14s %8s %12s %12s   %s%n", "clients", "events/s off", "events/s on", "change",
                "p99 ms off", "p99 ms on", "events/s of each run, off | on");
        for (List<BenchReport>[] m : byClients) {
            double off = median(m[0], r -> ((Number) r.result("events/s")).doubleValue());
            double on = median(m[1], r -> ((Number) r.result("events/s")).doubleValue());
            out.printf(Locale.ROOT, "  %8s %14.0f %14.0f %+7.1f%% %12.3f %12.3f   %s | %s%n", m[0].get(0).parameter("clients"), off, on,
                    off == 0 ? 0.0 : (on - off) / off * 100, median(m[0], BenchReport::p99Millis), median(m[1], BenchReport::p99Millis),
                    runs(m[0]), runs(m[1]));
        }
    }

    private static double median(List<BenchReport> runs, java.util.function.ToDoubleFunction<BenchReport> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String runs(List<BenchReport> runs) {
        return String.join(" ", runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", ((Number) r.result("events/s")).doubleValue())).toList());
    }

    @Override
    public void close() {
        scraper.shutdownNow();
    }
}
