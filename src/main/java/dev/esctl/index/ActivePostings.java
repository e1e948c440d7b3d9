package dev.esctl.index;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * stream → (version → seq) for the events after the last posting run: the in-memory table of
 * an LSM index. For every stream with events here, its first version here and the seqs of its
 * events, in version order (versions are dense, so version v is at {@code seqs[v - first]}).
 * Heap use: 32 bytes per event (8 in the stream's list, 24 in the flat entry log runs are
 * built from) plus a small object per stream; bounded because the table is
 * written out as a run and replaced at every segment seal.
 *
 * <p>Not thread-safe: {@link StoreIndex} guards it with its lock.
 */
final class ActivePostings {
    /** One stream's events in this table. */
    static final class Seqs {
        final long hash;
        final long firstVersion;
        long[] seqs = new long[4];
        int count;

        Seqs(long hash, long firstVersion) {
            this.hash = hash;
            this.firstVersion = firstVersion;
        }

        void add(long seq) {
            if (count == seqs.length) seqs = Arrays.copyOf(seqs, count * 2);
            seqs[count++] = seq;
        }

        long lastVersion() {
            return firstVersion + count - 1;
        }
    }

    private final long firstSeq;
    private final Map<Integer, Seqs> bySlot = new HashMap<>();
    /** The same entries in arrival (seq) order, flat: what a run is built from. */
    private final RunEntries log = new RunEntries(1024);
    private long lastSeq;
    private long events;

    ActivePostings(long firstSeq) {
        this.firstSeq = firstSeq;
        this.lastSeq = firstSeq - 1;
    }

    long firstSeq() { return firstSeq; }
    long lastSeq() { return lastSeq; }
    long events() { return events; }
    boolean isEmpty() { return events == 0; }

    void add(int slot, long hash, long version, long seq) {
        Seqs s = bySlot.get(slot);
        if (s == null) {
            s = new Seqs(hash, version);
            bySlot.put(slot, s);
        }
        assert version == s.lastVersion() + 1 : "slot " + slot + " version " + version + " after " + s.lastVersion();
        assert seq > lastSeq : "seq " + seq + " after " + lastSeq;
        s.add(seq);
        log.add(hash, version, seq);
        lastSeq = seq;
        events++;
    }

    Seqs get(int slot) {
        return bySlot.get(slot);
    }

    /**
     * Every entry in run order (hash unsigned, then seq), for writing this table as a run.
     * Sorts the table's own entry log in place: call only once the table is frozen.
     */
    RunEntries sortedEntries() {
        log.sort();
        return log;
    }
}
