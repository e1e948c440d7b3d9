/**
 * Observability of a running store: the Prometheus metrics served at {@code GET /metrics}
 * (every name, type and meaning is in {@code man/esctl-metrics.7}) and the rate-limited log
 * lines derived from the same samples (slow fsyncs, overload refusals).
 *
 * <p>The engine and the server know nothing of Prometheus: they keep plain counters
 * ({@link dev.esctl.engine.WriterStats}, {@link dev.esctl.server.HttpStats}, …) that this
 * package reads when scraped, and the writer hands each sample to a
 * {@link dev.esctl.engine.WriterStats.Listener} for the histograms. Recording costs the write
 * path a few striped adds per batch; everything else is computed at scrape time.
 */
package dev.esctl.metrics;
