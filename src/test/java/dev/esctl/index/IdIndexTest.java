package dev.esctl.index;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdIndexTest {
    @TempDir Path tmp;

    /** Against a plain map of the last {@code window} ids, through many wraps of the ring and with ids that share hash bits. */
    @Test
    void findsExactlyTheIdsOfTheLastWindowOfEvents() {
        for (int window : new int[] {1, 2, 3, 7, 64, 1000}) checkAgainstModel(window, window < 100 ? 1 : 7);
    }

    /**
     * As above, with long runs of adds between lookups: table updates wait in batches, and a batch
     * may hold the same ring slot several times (a window smaller than the batch).
     */
    @Test
    void findsExactlyTheIdsAfterLongRunsOfAdds() {
        for (int window : new int[] {1, 2, 3, 7, 64, 65, 1000}) {
            for (int every : new int[] {63, 64, 65, 200, 777}) checkAgainstModel(window, every);
        }
    }

    /** Adds ten windows of ids (at least three runs), looking up the last window's ids (and a few older) after every {@code every} adds. */
    private static void checkAgainstModel(int window, int every) {
        Random random = new Random(42);
        IdIndex index = new IdIndex(window);
        Map<UUID, Long> model = new HashMap<>();
        long total = Math.max(window * 10L, every * 3L);
        UUID[] bySeq = new UUID[(int) total + 1];
        for (long seq = 1; seq <= total; seq++) {
            // Half the ids differ only in a few low bits: neighbours in the table, long probe runs.
            UUID id = random.nextBoolean() ? new UUID(7, random.nextInt(8) + seq * 16) : UUID.randomUUID();
            index.add(seq, id.getMostSignificantBits(), id.getLeastSignificantBits());
            bySeq[(int) seq] = id;
            model.put(id, seq);
            if (seq > window) model.remove(bySeq[(int) (seq - window)]);
            if (seq % every == 0) {
                for (long s = Math.max(1, seq - window - 3); s <= seq; s++) {
                    UUID probe = bySeq[(int) s];
                    long expected = model.getOrDefault(probe, -1L);
                    assertEquals(expected, index.find(probe.getMostSignificantBits(), probe.getLeastSignificantBits()),
                            "window " + window + ", lookups every " + every + ", after seq " + seq + ": id of seq " + s);
                }
            }
        }
        assertEquals(-1, index.find(1, 2), "an id never added");
        assertEquals(total - window + 1, index.firstSeq());
    }

    @Test
    void aWrittenIndexReadsBackWithTheSameIds() throws Exception {
        IdIndex index = new IdIndex(100);
        UUID[] ids = new UUID[251];
        for (int seq = 1; seq <= 250; seq++) {
            ids[seq] = UUID.randomUUID();
            index.add(seq, ids[seq].getMostSignificantBits(), ids[seq].getLeastSignificantBits());
        }
        Path file = tmp.resolve(IdIndex.NAME);
        index.write(file, new byte[32]);
        IdIndex read = IdIndex.read(file, 100).index();
        for (int seq = 1; seq <= 250; seq++) {
            assertEquals(seq > 150 ? seq : -1, read.find(ids[seq].getMostSignificantBits(), ids[seq].getLeastSignificantBits()), "seq " + seq);
        }
    }
}
