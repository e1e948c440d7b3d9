package dev.esctl.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class DeliveryTallyTest {
    @Test
    void latencyIsReceiveTimeMinusAckTimeAndAnEarlyDeliveryWaitsForItsAck() {
        AckClock clock = new AckClock(101, 1000);
        LatencyStripes latency = new LatencyStripes(2);
        DeliveryTally t = new DeliveryTally(0, clock, latency, new CountDownLatch(1));
        assertTrue(clock.ack(101, 102, 1_000_000));
        t.event(101, 3_000_000); // 2 ms after its ack
        t.event(102, 1_500_000); // 0.5 ms after
        t.event(103, 5_000_000); // before its ack
        assertTrue(clock.ack(103, 103, 6_000_000));
        t.finish();
        Histogram h = latency.merged();
        assertEquals(3, h.getTotalCount());
        assertEquals(2000, h.getMaxValue(), 2000 * 0.001);
        assertEquals(0, h.getMinValue(), "a delivery before the ack counts as 0");
        assertEquals(1, t.beforeAck);
        assertEquals(0, t.unacked);
        assertEquals(3, t.received());
    }

    @Test
    void duplicatesReorderingsLossAndUnacknowledgedEventsFailTheVerdict() throws Exception {
        AckClock clock = new AckClock(1, 100);
        assertTrue(clock.ack(1, 5, 10));
        LoadTarget.WatchSpec spec = new LoadTarget.WatchSpec(null, false, "bench/");
        LoadTarget target = new LoadTarget() {
            public Connection connect() {
                return new Connection() {
                    public long[] append(String stream, int events) { throw new UnsupportedOperationException(); }
                    public ReadCount read(String stream) { throw new UnsupportedOperationException(); }
                    public void watch(WatchSpec s, WatchSink sink) {
                        sink.caughtUp();
                        for (long seq : new long[] {1, 2, 2, 1, 4, 9}) sink.event(seq, 20);
                    }
                    public void close() {}
                };
            }
            public long headSeq() { return 0; }
            public java.util.List<String> streams(int max) { return java.util.List.of(); }
            public ServerProbe probe() { return null; }
            public String describe() { return "fake"; }
        };
        Watchers w = new Watchers(target, java.util.List.of(spec), clock);
        w.start(5000, BenchStop.manual());
        Thread.sleep(100);
        w.close();
        DeliveryVerdict v = DeliveryVerdict.of(w, i -> 5);
        assertFalse(v.ok());
        assertEquals(1, v.duplicates());
        assertEquals(1, v.outOfOrder());
        assertEquals(1, v.lost(), "seqs 1, 2, 4 and 9 arrived: 4 of 5 expected");
        assertEquals(1, v.unacked(), "seq 9 was never acknowledged");
        assertTrue(v.problems().get(0).startsWith("watcher 0: received 4 of 5 events"), v.problems().toString());
    }
}
