package dev.esctl.testing.campaign;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.AppendResult;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.StreamRange;
import dev.esctl.index.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Random append batches, all drawn from one seeded {@link Random}: mostly one stream, some
 * across two or three streams, with expectations that usually hold and sometimes conflict
 * (the workload guesses versions from what it was told, which a crash makes stale). Events
 * carry 50..2,500 bytes of data, so that 64 KiB segments roll every few dozen events, and
 * sometimes meta. Ids come from the seed too, so a replay submits the same events. Not
 * thread-safe.
 */
public final class Workload {
    private static final String[] STREAMS = {
        "orders/1", "orders/2", "orders/2/lines", "users/ada", "users/bob", "audit", "stock/ä", "s/1", "s/2", "s/3",
    };
    private static final String[] TYPES = {"Created", "Updated", "Shipped", "Cancelled"};
    /**
     * Event data pads are random slices of this fixed random text: drawing every character
     * anew cost more than the store's own work. Distinct offsets keep neighbouring events
     * different, which is all a torn or misplaced frame needs to be noticed.
     */
    private static final String PAD = padText();

    /** Each event's stream, type, data and meta stay below this; the store is configured with it. */
    public static final int MAX_EVENT_BYTES = 8192;

    private final Random random;
    private final Map<String, Long> knownVersions = new HashMap<>();
    private long eventNumber;

    public Workload(Random random) {
        this.random = random;
    }

    /** The next batch to submit. */
    public AppendBatch next() {
        List<NewEvent> events = new ArrayList<>();
        Map<String, Expectation> expectations = new LinkedHashMap<>();
        if (random.nextInt(100) < 75) {
            String stream = pick();
            int n = random.nextInt(4) == 0 ? 2 + random.nextInt(4) : 1;
            for (int i = 0; i < n; i++) events.add(event(stream));
            Expectation e = expectation(stream);
            if (!(e instanceof Expectation.Any)) expectations.put(stream, e);
        } else {
            List<String> streams = new ArrayList<>();
            int k = 2 + random.nextInt(2);
            while (streams.size() < k) {
                String s = pick();
                if (!streams.contains(s)) streams.add(s);
            }
            int n = k + random.nextInt(3);
            for (int i = 0; i < n; i++) events.add(event(i < k ? streams.get(i) : streams.get(random.nextInt(k))));
            for (String s : streams) {
                if (random.nextBoolean()) expectations.put(s, expectation(s));
            }
        }
        return new AppendBatch(events, expectations, MAX_EVENT_BYTES);
    }

    /** Updates the versions the workload believes in from an acknowledgement. */
    public void observe(AppendResult result) {
        for (StreamRange r : result.streams()) knownVersions.put(r.stream(), r.lastVersion());
    }

    /** Believes what a freshly opened store says (after a crash some unknown batches survive and some do not). */
    public void observe(EventStore store) {
        knownVersions.clear();
        for (StreamInfo s : store.streams("")) knownVersions.put(s.stream(), s.lastVersion());
    }

    private String pick() {
        return STREAMS[random.nextInt(STREAMS.length)];
    }

    private Expectation expectation(String stream) {
        long v = knownVersions.getOrDefault(stream, 0L);
        int r = random.nextInt(100);
        if (r < 40) return Expectation.ANY;
        if (r < 60) return new Expectation.Exact(v);
        if (r < 68) return new Expectation.Exact(Math.max(0, v + (random.nextBoolean() ? 1 : -1)));
        if (r < 85) return v == 0 ? Expectation.NONE : Expectation.EXISTS;
        return random.nextBoolean() ? Expectation.NONE : Expectation.EXISTS;
    }

    private NewEvent event(String stream) {
        long n = ++eventNumber;
        int length = 50 + random.nextInt(2450);
        int from = random.nextInt(PAD.length() - length);
        byte[] data = ("{\"n\":" + n + ",\"pad\":\"" + PAD.substring(from, from + length) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] meta = random.nextInt(10) < 3
                ? ("{\"correlation\":\"" + new UUID(random.nextLong(), random.nextLong()) + "\"}").getBytes(StandardCharsets.UTF_8)
                : null;
        return new NewEvent(stream, TYPES[random.nextInt(TYPES.length)], new UUID(random.nextLong(), random.nextLong()), data, meta);
    }

    private static String padText() {
        char[] alphabet = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
        Random r = new Random(42);
        char[] text = new char[64 * 1024];
        for (int i = 0; i < text.length; i++) text[i] = alphabet[r.nextInt(alphabet.length)];
        return new String(text);
    }
}
