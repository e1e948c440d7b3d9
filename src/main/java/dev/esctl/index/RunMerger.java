package dev.esctl.index;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Merges two adjacent posting runs (the first ends where the second begins) into one covering
 * both, streaming both in their sort order (hash unsigned, then seq), so memory use
 * does not depend on their size. The inputs are deleted by the caller once the merged run is
 * published; a crash in between leaves both, and open keeps the widest run.
 */
final class RunMerger {
    private RunMerger() {}

    static PostingRun merge(Path dir, PostingRun a, PostingRun b) throws IOException {
        if (a.lastSeq() + 1 != b.firstSeq()) throw new IllegalArgumentException("runs " + a + " and " + b + " are not adjacent");
        return PostingRun.write(dir, a.firstSeq(), b.lastSeq(), b.lastChainHash(), sink -> {
            int i = 0, j = 0;
            while (i < a.size() || j < b.size()) {
                boolean fromA;
                if (i >= a.size()) fromA = false;
                else if (j >= b.size()) fromA = true;
                else fromA = compare(a, i, b, j) <= 0;
                PostingRun r = fromA ? a : b;
                int k = fromA ? i++ : j++;
                sink.putLong(r.hash(k)).putLong(r.version(k)).putLong(r.seq(k));
                sink.entry();
            }
        });
    }

    private static int compare(PostingRun a, int i, PostingRun b, int j) {
        int c = Long.compareUnsigned(a.hash(i), b.hash(j));
        return c != 0 ? c : Long.compare(a.seq(i), b.seq(j));
    }
}
