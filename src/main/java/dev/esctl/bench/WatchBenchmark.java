package dev.esctl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * Watch delivery under append load: W watchers follow the log from its end, then appenders add
 * events at a target rate, and each watcher measures, per event, the time from the ack its
 * appender got to the moment the watcher read the event (same process, same clock), and checks
 * it received every event exactly once and in order. What the watchers follow ({@link Scope}):
 * everything (the log walk), the benchmark's subtree (the index path), or one stream each (the
 * appends are spread over W streams, so each event goes to one watcher).
 */
public final class WatchBenchmark {
    /** What each watcher follows. */
    public enum Scope {
        /** Every event ({@code GET /watch}): each watcher gets every event. */
        ALL,
        /** The benchmark's subtree ({@code stream=P&recursive=true}): each watcher gets every event. */
        SUBTREE,
        /** One stream per watcher: each event goes to the one watcher of its stream. */
        STREAM
    }

    public record Options(int watchers, Scope scope, int appenders, int batchEvents, int eventBytes, double eventsPerSecond,
                          long durationMs, long maxEvents, long drainMs) {
        public Options {
            if (watchers < 1) throw new IllegalArgumentException("--watchers must be at least 1, got " + watchers);
            if (appenders < 1) throw new IllegalArgumentException("--appenders must be at least 1, got " + appenders);
            if (batchEvents < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batchEvents);
            if (eventsPerSecond < 0) throw new IllegalArgumentException("--rate must not be negative, got " + eventsPerSecond);
        }
    }

    /** The report, and whether every watcher got every event exactly once, in order. */
    public record Outcome(BenchReport report, boolean ok, List<String> problems) {}

    private WatchBenchmark() {}

    public static Outcome run(LoadTarget target, Options o, ServerProbe probe, BenchStop stop) throws Exception {
        Watchers.checkDescriptors(o.watchers() + o.appenders());
        String prefix = "bench-watch/" + System.currentTimeMillis();
        List<LoadTarget.WatchSpec> specs = new ArrayList<>();
        String[] streams;
        if (o.scope() == Scope.STREAM) {
            streams = new String[o.watchers()];
            for (int i = 0; i < o.watchers(); i++) {
                streams[i] = prefix + "/w" + i;
                specs.add(new LoadTarget.WatchSpec(streams[i], false, streams[i]));
            }
        } else {
            streams = new String[o.appenders()];
            for (int i = 0; i < o.appenders(); i++) streams[i] = prefix + "/a" + i;
            for (int i = 0; i < o.watchers(); i++) {
                specs.add(o.scope() == Scope.ALL ? new LoadTarget.WatchSpec(null, false, prefix + "/") : new LoadTarget.WatchSpec(prefix, true, prefix + "/"));
            }
        }
        AckClock clock = new AckClock(target.headSeq() + 1, clockCapacity(o.eventsPerSecond(), o.durationMs(), o.maxEvents()));
        BenchReport report = new BenchReport("watch (" + target.describe() + ")")
                .parameter("watchers", o.watchers())
                .parameter("watch", switch (o.scope()) {
                    case ALL -> "everything";
                    case SUBTREE -> "subtree " + prefix;
                    case STREAM -> "one stream each, " + prefix + "/w<i>";
                })
                .parameter("appenders", o.appenders())
                .parameter("batch events", o.batchEvents())
                .parameter("event data bytes", o.eventBytes())
                .parameter("target events/s", o.eventsPerSecond() == 0 ? "unpaced" : String.format(Locale.ROOT, "%,.0f", o.eventsPerSecond()))
                .parameter("duration s", o.durationMs() / 1000.0)
                .parameter("max events", o.maxEvents() == Long.MAX_VALUE ? "-" : o.maxEvents());

        long cpuBefore = AppendBenchmark.processCpuNanos();
        Watchers watchers = new Watchers(target, specs, clock);
        ServerProbe.Sampler sampler = null;
        List<String> problems = new ArrayList<>();
        AppendLoad appends = null;
        try {
            long t0 = System.nanoTime();
            watchers.start(60_000 + 20L * o.watchers(), stop);
            report.result("watchers live after s", (System.nanoTime() - t0) / 1e9);
            if (probe != null) sampler = probe.sampler();
            appends = new AppendLoad(target, new AppendLoad.Options(o.appenders(), o.batchEvents(), o.eventsPerSecond(), o.durationMs(), o.maxEvents()),
                    streams, o.scope() == Scope.STREAM, clock, stop);
            appends.start();
            appends.join();
            if (appends.failure() != null) problems.add("an append failed: " + appends.failure());
            if (appends.clockFull()) problems.add("the ack clock (" + clock.capacity() + " events) is full: the run stopped early");
            AppendLoad a = appends;
            IntToLongFunction lastSeq = o.scope() == Scope.STREAM ? a::streamLastSeq : i -> a.maxSeq();
            boolean drained = watchers.drain(lastSeq, stop.requested() ? Math.min(o.drainMs(), 5000) : o.drainMs());
            if (!drained) problems.add("the watchers had not received every event " + o.drainMs() / 1000.0 + " s after the last ack");
        } finally {
            watchers.close();
            if (sampler != null) sampler.close();
        }
        double cpu = (AppendBenchmark.processCpuNanos() - cpuBefore) / 1e9;
        AppendLoad a = appends;
        DeliveryVerdict verdict = DeliveryVerdict.of(watchers, o.scope() == Scope.STREAM ? a::streamEvents : i -> a.events());
        problems.addAll(verdict.problems());

        Histogram delivery = watchers.latency().merged();
        long lastDelivery = 0;
        for (DeliveryTally t : watchers.tallies()) lastDelivery = Math.max(lastDelivery, t.lastNanos - a.startNanos());
        double appendSeconds = a.seconds();
        double deliverSeconds = lastDelivery / 1e9;
        report.result("events appended", a.events())
                .result("append events/s", perSecond(a.events(), appendSeconds))
                .result("append MB/s (data)", perSecond(a.events() * (double) o.eventBytes(), appendSeconds) / 1e6)
                .result("events delivered", verdict.received())
                .result("delivered events/s", perSecond(verdict.received(), deliverSeconds))
                .result("delivered MB/s (data)", perSecond(verdict.received() * (double) o.eventBytes(), deliverSeconds) / 1e6);
        verdict.report(report);
        report.result("cpu s (this process)", cpu);
        if (sampler != null) sampler.report(report);
        report.latency(delivery);
        Histogram ack = a.latency();
        report.role("append (ack)", BenchReport.columns("clients", o.appenders(), "events", a.events(), "events/s", perSecond(a.events(), appendSeconds)), ack);
        report.role("deliver (ack to watcher)", BenchReport.columns("clients", o.watchers(), "events", verdict.received(), "events/s", perSecond(verdict.received(), deliverSeconds)), delivery);
        return new Outcome(report, problems.isEmpty(), problems);
    }

    /** Ack slots for the planned events, with room to spare; an unpaced, unbounded run gets 16 M (128 MiB). */
    static int clockCapacity(double eventsPerSecond, long durationMs, long maxEvents) {
        long planned = maxEvents != Long.MAX_VALUE ? maxEvents : eventsPerSecond > 0 ? (long) (eventsPerSecond * durationMs / 1000.0) : 16_000_000L;
        return (int) Math.min(Integer.MAX_VALUE - 8, planned + planned / 2 + 100_000);
    }

    static double perSecond(double n, double seconds) {
        return seconds <= 0 ? 0 : n / seconds;
    }
}
