package dev.esctl.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * stream → (version → seq) for the events after the last posting run: the in-memory table of
 * an LSM index. For every stream with events here, its first version here and the seqs of its
 * events, in version order (versions are dense, so version v is at {@code seqs[v - first]}).
 * Heap use: 8 bytes per event plus a small object per stream; bounded because the table is
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
        lastSeq = seq;
        events++;
    }

    Seqs get(int slot) {
        return bySlot.get(slot);
    }

    /**
     * Every entry as (hash, version, seq), sorted by hash (unsigned) then version, which is the
     * order of a posting run. Streams that share a hash are merged by version.
     */
    long[] sortedEntries() {
        List<Seqs> streams = new ArrayList<>(bySlot.values());
        streams.sort((a, b) -> {
            int c = Long.compareUnsigned(a.hash, b.hash);
            return c != 0 ? c : Long.compare(a.seqs[0], b.seqs[0]);
        });
        long[] out = new long[(int) (3 * events)];
        int n = 0;
        for (int i = 0; i < streams.size(); ) {
            int j = i + 1;
            while (j < streams.size() && streams.get(j).hash == streams.get(i).hash) j++;
            if (j == i + 1) {
                Seqs s = streams.get(i);
                for (int k = 0; k < s.count; k++) {
                    out[n++] = s.hash;
                    out[n++] = s.firstVersion + k;
                    out[n++] = s.seqs[k];
                }
            } else {
                n = mergeCollided(streams.subList(i, j), out, n);
            }
            i = j;
        }
        assert n == out.length : n + " of " + out.length + " entries";
        return out;
    }

    private static int mergeCollided(List<Seqs> same, long[] out, int n) {
        List<long[]> entries = new ArrayList<>();
        for (Seqs s : same) {
            for (int k = 0; k < s.count; k++) entries.add(new long[] {s.hash, s.firstVersion + k, s.seqs[k]});
        }
        entries.sort((a, b) -> a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]));
        for (long[] e : entries) {
            out[n++] = e[0];
            out[n++] = e[1];
            out[n++] = e[2];
        }
        return n;
    }
}
