package dev.esctl.index;

import java.io.IOException;
import java.util.Arrays;

/**
 * The entries of a posting run being built, in flat primitive arrays (no object per stream or
 * per event): hash, version and seq, appended in seq order, then sorted into run order — hash
 * (unsigned), then seq — by a stable LSD radix sort on the hash, which keeps seq order within
 * each hash for free. Not thread-safe.
 */
final class RunEntries {
    private long[] hashes;
    private long[] versions;
    private long[] seqs;
    private int size;

    RunEntries(int capacity) {
        int c = Math.max(16, capacity);
        hashes = new long[c];
        versions = new long[c];
        seqs = new long[c];
    }

    int size() {
        return size;
    }

    /** Appends an entry; entries must come in ascending seq order. */
    void add(long hash, long version, long seq) {
        if (size == hashes.length) {
            int c = size * 2;
            hashes = Arrays.copyOf(hashes, c);
            versions = Arrays.copyOf(versions, c);
            seqs = Arrays.copyOf(seqs, c);
        }
        assert size == 0 || seq > seqs[size - 1] : "seq " + seq + " after " + seqs[size - 1];
        hashes[size] = hash;
        versions[size] = version;
        seqs[size] = seq;
        size++;
    }

    /** Sorts into run order: 8 stable counting passes over the hash bytes, least significant first. */
    void sort() {
        long[] h2 = new long[size], v2 = new long[size], s2 = new long[size];
        int[] counts = new int[257];
        for (int shift = 0; shift < 64; shift += 8) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < size; i++) counts[(int) ((hashes[i] >>> shift) & 0xFF) + 1]++;
            if (counts[1 + (int) ((hashes[0] >>> shift) & 0xFF)] == size) continue; // every key has this byte
            for (int b = 0; b < 256; b++) counts[b + 1] += counts[b];
            for (int i = 0; i < size; i++) {
                int at = counts[(int) ((hashes[i] >>> shift) & 0xFF)]++;
                h2[at] = hashes[i];
                v2[at] = versions[i];
                s2[at] = seqs[i];
            }
            long[] t = hashes; hashes = h2; h2 = t;
            t = versions; versions = v2; v2 = t;
            t = seqs; seqs = s2; s2 = t;
        }
    }

    void writeTo(IndexFile.Sink sink) throws IOException {
        for (int i = 0; i < size; i++) {
            sink.putLong(hashes[i]).putLong(versions[i]).putLong(seqs[i]);
            sink.entry();
        }
    }
}
