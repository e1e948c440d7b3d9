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
        Random random = new Random(42);
        for (int window : new int[] {1, 2, 3, 7, 64, 1000}) {
            IdIndex index = new IdIndex(window);
            Map<UUID, Long> model = new HashMap<>();
            UUID[] bySeq = new UUID[window * 10 + 1];
            for (long seq = 1; seq <= window * 10L; seq++) {
                // Half the ids differ only in a few low bits: neighbours in the table, long probe runs.
                UUID id = random.nextBoolean() ? new UUID(7, random.nextInt(8) + seq * 16) : UUID.randomUUID();
                index.add(seq, id.getMostSignificantBits(), id.getLeastSignificantBits());
                bySeq[(int) seq] = id;
                model.put(id, seq);
                if (seq > window) model.remove(bySeq[(int) (seq - window)]);
                if (seq % 7 == 0 || window < 100) {
                    for (long s = Math.max(1, seq - window - 3); s <= seq; s++) {
                        UUID probe = bySeq[(int) s];
                        long expected = model.getOrDefault(probe, -1L);
                        assertEquals(expected, index.find(probe.getMostSignificantBits(), probe.getLeastSignificantBits()),
                                "window " + window + ", after seq " + seq + ": id of seq " + s);
                    }
                }
            }
            assertEquals(-1, index.find(1, 2), "an id never added");
            assertEquals(window * 10L - window + 1, index.firstSeq());
        }
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
