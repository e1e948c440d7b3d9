package dev.esctl.bench;

import org.HdrHistogram.Histogram;

/**
 * One latency histogram (microseconds, 3 significant digits) recorded by many threads at a high
 * rate: a few stripes, each a plain {@link Histogram} behind its own lock, and callers that hand
 * over values in batches, so a thousand watchers recording millions of values a second neither
 * share one contended counter nor each hold a histogram of their own. Thread-safe.
 */
final class LatencyStripes {
    private final Histogram[] stripes;

    LatencyStripes(int count) {
        stripes = new Histogram[count];
        for (int i = 0; i < count; i++) stripes[i] = new Histogram(3);
    }

    /** Records {@code micros[0, n)} into the stripe of {@code client}. */
    void record(int client, long[] micros, int n) {
        Histogram h = stripes[Math.floorMod(client, stripes.length)];
        synchronized (h) {
            for (int i = 0; i < n; i++) h.recordValue(micros[i]);
        }
    }

    /** All stripes added together, as they are now. */
    Histogram merged() {
        Histogram all = new Histogram(3);
        for (Histogram h : stripes) {
            synchronized (h) {
                all.add(h);
            }
        }
        return all;
    }
}
