package dev.esctl.bench;

/**
 * Checks the seqs of a read as they come: strictly rising, and for a read of everything from
 * the start exactly 1, 2, 3, … (the global order has no gaps). Throws at the first violation,
 * naming the expected and the actual seq. Not thread-safe: one per read.
 */
final class SeqCheck {
    private final boolean dense;
    private long first;
    private long last;
    private long count;

    /** @param dense the read covers every event from seq 1 */
    SeqCheck(boolean dense) {
        this.dense = dense;
    }

    void seq(long seq) {
        if (seq < 0) throw new IllegalStateException("a read returned a line that is not an event, after seq " + last);
        if (dense && seq != last + 1) throw new IllegalStateException("a read of everything returned seq " + seq + " where " + (last + 1) + " was due");
        if (seq <= last) throw new IllegalStateException("a read returned seq " + seq + " after seq " + last + " (not rising)");
        if (count == 0) first = seq;
        last = seq;
        count++;
    }

    long count() { return count; }
    long first() { return first; }
    long last() { return last; }
}
