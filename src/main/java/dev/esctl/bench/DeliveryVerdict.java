package dev.esctl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Whether every watcher received every event it had to, exactly once and in order — the
 * property the watch benchmark checks besides measuring. Lost: acknowledged events a watcher
 * never received; extra: more of the benchmark's events than were acknowledged; unacked:
 * events received that no append acknowledged.
 */
record DeliveryVerdict(long expected, long received, long lost, long extra, long duplicates, long outOfOrder, long unacked,
                       long foreign, long fellBehind, long beforeAck, List<String> problems) {

    /** @param expectedCount how many of the benchmark's events watcher i must have received */
    static DeliveryVerdict of(Watchers watchers, IntToLongFunction expectedCount) {
        long expected = 0, received = 0, lost = 0, extra = 0, duplicates = 0, outOfOrder = 0, unacked = 0, foreign = 0, fellBehind = 0, beforeAck = 0;
        List<String> problems = new ArrayList<>(watchers.failures());
        List<DeliveryTally> tallies = watchers.tallies();
        for (int i = 0; i < tallies.size(); i++) {
            DeliveryTally t = tallies.get(i);
            long want = expectedCount.applyAsLong(i);
            long got = t.received();
            expected += want;
            received += got;
            lost += Math.max(0, want - got);
            extra += Math.max(0, got - want);
            duplicates += t.duplicates;
            outOfOrder += t.outOfOrder;
            unacked += t.unacked;
            foreign += t.foreign;
            fellBehind += t.fellBehind;
            beforeAck += t.beforeAck;
            if (got != want || t.duplicates > 0 || t.outOfOrder > 0 || t.unacked > 0) {
                problems.add("watcher " + i + ": received " + got + " of " + want + " events, " + t.duplicates + " duplicates, "
                        + t.outOfOrder + " out of order, " + t.unacked + " never acknowledged; last seq " + t.last());
            }
        }
        return new DeliveryVerdict(expected, received, lost, extra, duplicates, outOfOrder, unacked, foreign, fellBehind, beforeAck, problems);
    }

    boolean ok() {
        return problems.isEmpty();
    }

    void report(BenchReport report) {
        report.result("deliveries expected", expected)
                .result("lost", lost)
                .result("duplicates", duplicates)
                .result("out of order", outOfOrder)
                .result("extra", extra + unacked)
                .result("delivered before ack", beforeAck)
                .result("fellBehind lines", fellBehind)
                .result("foreign events", foreign)
                .result("check", ok() ? "ok" : "FAILED");
    }
}
