package dev.esctl.metrics;

import dev.esctl.engine.WriterStats;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines about the write path that must neither flood the log nor cost the writer a
 * blocking write to stderr: slow fsyncs (over a threshold) and appends refused because the
 * write queue was full. The listener only counts; a background thread ("esctl-event-log")
 * looks once a second and writes at most one line per kind per interval, with the count since
 * the last line ({@code seconds}: the time that count covers):
 * <pre>
 *   event=slow_fsync count=3 max_ms=412.0 threshold_ms=100 seconds=10.0
 *   event=appends_refused reason=overloaded count=1520 seconds=10.0 effect="…"
 * </pre>
 * The first occurrence after a quiet interval is logged within a second. Thread-safe:
 * {@link #forced} runs on the writer's thread, {@link #overloaded} on any appending thread.
 */
public final class WriterEventLog implements WriterStats.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriterEventLog.class);

    private final long slowFsyncNanos;
    private final long intervalNanos;
    private final AtomicLong slowFsyncs = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final AtomicLong overloads = new AtomicLong();
    /** Start of the window the pending count covers: the last line of the kind, or the start. */
    private long slowSince;
    private long overloadSince;
    private boolean slowLogged;
    private boolean overloadLogged;
    private ScheduledExecutorService reporter;

    /**
     * @param slowFsyncNanos an fsync at least this long is slow (0: never)
     * @param intervalNanos  at most one line per kind per this interval
     */
    public WriterEventLog(long slowFsyncNanos, long intervalNanos) {
        this.slowFsyncNanos = slowFsyncNanos;
        this.intervalNanos = intervalNanos;
        this.slowSince = this.overloadSince = System.nanoTime();
    }

    /** Starts the thread that writes the lines. */
    public WriterEventLog start() {
        reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "esctl-event-log");
            t.setDaemon(true);
            return t;
        });
        reporter.scheduleWithFixedDelay(() -> report(System.nanoTime(), false), 1, 1, TimeUnit.SECONDS);
        return this;
    }

    @Override
    public void forced(long nanos) {
        if (slowFsyncNanos > 0 && nanos >= slowFsyncNanos) {
            slowFsyncs.incrementAndGet();
            slowestNanos.accumulateAndGet(nanos, Math::max);
        }
    }

    @Override
    public void overloaded() {
        overloads.incrementAndGet();
    }

    /** Writes what is due at {@code now}; {@code all}: whatever is pending, due or not (on close). */
    synchronized void report(long now, boolean all) {
        if (slowFsyncs.get() > 0 && (all || !slowLogged || now - slowSince >= intervalNanos)) {
            long count = slowFsyncs.getAndSet(0);
            long slowest = slowestNanos.getAndSet(0);
            log.warn("event=slow_fsync count={} max_ms={} threshold_ms={} seconds={} effect=\"appends waited for the disk\"",
                    count, String.format(Locale.ROOT, "%.1f", slowest / 1e6), slowFsyncNanos / 1_000_000, seconds(now - slowSince));
            slowSince = now;
            slowLogged = true;
        }
        if (overloads.get() > 0 && (all || !overloadLogged || now - overloadSince >= intervalNanos)) {
            long count = overloads.getAndSet(0);
            log.warn("event=appends_refused reason=overloaded count={} seconds={} effect=\"the write queue was full; clients were told to retry (503)\"",
                    count, seconds(now - overloadSince));
            overloadSince = now;
            overloadLogged = true;
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    /** Stops the thread and writes what is still pending. */
    @Override
    public void close() {
        if (reporter != null) {
            reporter.shutdown();
            try {
                reporter.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        report(System.nanoTime(), true);
    }
}
