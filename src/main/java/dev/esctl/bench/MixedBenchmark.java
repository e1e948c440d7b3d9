package dev.esctl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Appenders, readers and watchers at once, for a duration: N appenders (each its own stream, as
 * fast as acks come or paced to a total rate), R readers (whole streams picked at random from the
 * store) and W watchers of everything (delivery latency from ack to watcher, and every event
 * exactly once, in order, as in {@link WatchBenchmark}). One row per role. On a store without
 * streams the readers get 1,000 streams of 10 events, made first.
 */
public final class MixedBenchmark {
    public record Options(int appenders, int readers, int watchers, int batchEvents, int eventBytes, double eventsPerSecond,
                          long durationMs, long maxEvents, long populated, long drainMs) {}

    private MixedBenchmark() {}

    public static WatchBenchmark.Outcome run(LoadTarget target, Options o, ServerProbe probe, BenchStop stop) throws Exception {
        if (o.appenders() < 1 || o.readers() < 0 || o.watchers() < 0) {
            throw new IllegalArgumentException("need at least 1 appender and no negative counts: --appenders " + o.appenders() + " --readers " + o.readers() + " --watchers " + o.watchers());
        }
        Watchers.checkDescriptors(o.watchers() + o.appenders() + o.readers());
        String prefix = "bench-mixed/" + System.currentTimeMillis();
        BenchReport report = new BenchReport("mixed (" + target.describe() + ")")
                .parameter("appenders", o.appenders())
                .parameter("readers", o.readers())
                .parameter("watchers", o.watchers() + " (everything)")
                .parameter("batch events", o.batchEvents())
                .parameter("event data bytes", o.eventBytes())
                .parameter("target events/s", o.eventsPerSecond() == 0 ? "unpaced" : String.format(Locale.ROOT, "%,.0f", o.eventsPerSecond()))
                .parameter("duration s", o.durationMs() / 1000.0)
                .parameter("max events", o.maxEvents() == Long.MAX_VALUE ? "-" : o.maxEvents());
        Function<SplittableRandom, String> streams = readStreams(target, o, prefix, report);

        String[] appendStreams = new String[o.appenders()];
        for (int i = 0; i < appendStreams.length; i++) appendStreams[i] = prefix + "/a" + i;
        List<LoadTarget.WatchSpec> specs = new ArrayList<>();
        for (int i = 0; i < o.watchers(); i++) specs.add(new LoadTarget.WatchSpec(null, false, prefix + "/a"));
        AckClock clock = new AckClock(target.headSeq() + 1, WatchBenchmark.clockCapacity(o.eventsPerSecond(), o.durationMs(), o.maxEvents()));

        long cpuBefore = AppendBenchmark.processCpuNanos();
        Watchers watchers = new Watchers(target, specs, clock);
        ServerProbe.Sampler sampler = null;
        List<String> problems = new ArrayList<>();
        AppendLoad appends = new AppendLoad(target, new AppendLoad.Options(o.appenders(), o.batchEvents(), o.eventsPerSecond(), o.durationMs(), o.maxEvents()),
                appendStreams, false, clock, stop);
        ReadLoad reads = o.readers() == 0 ? null : new ReadLoad(target, new ReadLoad.Options(o.readers(), 0, o.durationMs(), Long.MAX_VALUE, -1), streams, stop);
        try {
            watchers.start(60_000 + 20L * o.watchers(), stop);
            if (probe != null) sampler = probe.sampler();
            appends.start();
            if (reads != null) reads.start();
            appends.join();
            if (reads != null) {
                reads.end(); // the appenders are done (the duration, --events, a failure or a stop): so is the run
                reads.join();
            }
            if (appends.failure() != null) problems.add("an append failed: " + appends.failure());
            if (appends.clockFull()) problems.add("the ack clock (" + clock.capacity() + " events) is full: the run stopped early");
            if (reads != null && reads.failure() != null) problems.add("a read failed: " + reads.failure());
            if (!watchers.drain(i -> appends.maxSeq(), stop.requested() ? Math.min(o.drainMs(), 5000) : o.drainMs())) {
                problems.add("the watchers had not received every event " + o.drainMs() / 1000.0 + " s after the last ack");
            }
        } finally {
            appends.end();
            if (reads != null) reads.end();
            watchers.close();
            if (sampler != null) sampler.close();
        }
        double cpu = (AppendBenchmark.processCpuNanos() - cpuBefore) / 1e9;
        DeliveryVerdict verdict = DeliveryVerdict.of(watchers, i -> appends.events());
        problems.addAll(verdict.problems());

        double appendSeconds = appends.seconds();
        long lastDelivery = 0;
        for (DeliveryTally t : watchers.tallies()) lastDelivery = Math.max(lastDelivery, t.lastNanos - appends.startNanos());
        double deliverSeconds = lastDelivery / 1e9;
        report.result("events appended", appends.events());
        if (reads != null) report.result("reads", reads.reads());
        verdict.report(report);
        report.result("cpu s (this process)", cpu);
        if (sampler != null) sampler.report(report);

        report.role("append", BenchReport.columns("clients", o.appenders(), "ops", appends.requests(), "events", appends.events(),
                "events/s", WatchBenchmark.perSecond(appends.events(), appendSeconds),
                "MB/s", WatchBenchmark.perSecond(appends.events() * (double) o.eventBytes(), appendSeconds) / 1e6), appends.latency());
        if (reads != null) {
            report.role("read", BenchReport.columns("clients", o.readers(), "ops", reads.reads(), "events", reads.events(),
                    "events/s", WatchBenchmark.perSecond(reads.events(), reads.seconds()),
                    "MB/s", WatchBenchmark.perSecond(reads.bytes(), reads.seconds()) / 1e6), reads.latency());
        }
        if (o.watchers() > 0) {
            Histogram delivery = watchers.latency().merged();
            report.role("watch", BenchReport.columns("clients", o.watchers(), "ops", "-", "events", verdict.received(),
                    "events/s", WatchBenchmark.perSecond(verdict.received(), deliverSeconds),
                    "MB/s", WatchBenchmark.perSecond(verdict.received() * (double) o.eventBytes(), deliverSeconds) / 1e6), delivery);
        }
        report.parameter("MB/s", "append and watch: event data; read: ndjson");
        report.parameter("latency", "append: ack; read: request to last byte; watch: ack to delivery");
        return new WatchBenchmark.Outcome(report, problems.isEmpty(), problems);
    }

    /** What the readers read: bench populate's names, the store's streams, or 1,000 small streams made now. */
    private static Function<SplittableRandom, String> readStreams(LoadTarget target, Options o, String prefix, BenchReport report) throws Exception {
        if (o.readers() == 0) return r -> null;
        if (o.populated() > 0) {
            report.parameter("read streams", o.populated() + " of bench populate (acct/<i/1000>/<i%1000>)");
            return r -> Populate.streamName(r.nextLong(o.populated()));
        }
        List<String> names = target.streams(Integer.MAX_VALUE - 8);
        if (names.isEmpty()) {
            names = new ArrayList<>();
            try (LoadTarget.Connection c = target.connect()) {
                for (int i = 0; i < 1000; i++) {
                    String name = prefix + "/r" + i;
                    c.append(name, 10);
                    names.add(name);
                }
            }
            report.parameter("read streams", "1,000 of 10 events, made for this run");
        } else {
            report.parameter("read streams", names.size() + " (all the store has)");
        }
        List<String> chosen = names;
        return r -> chosen.get(r.nextInt(chosen.size()));
    }
}
