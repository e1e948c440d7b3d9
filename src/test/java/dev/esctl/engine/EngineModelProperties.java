package dev.esctl.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.storage.EventRecord;
import dev.esctl.testing.FileSystems;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Model-based test: random sequences of commands — appends with every kind of expectation,
 * multi-stream batches, retries of committed batches, reads of every form, restarts — run
 * against the engine and against a list in memory; any divergence fails, and jqwik shrinks the
 * sequence to a minimal one.
 */
class EngineModelProperties {
    private static final String[] STREAMS = {"a", "a/b", "a/b/c", "b", "b/x", "ab"};
    private static final String[] TYPES = {"T1", "T2"};
    private static final StoreConfig SMALL = StoreConfig.defaults().withSegmentSize(StoreConfig.MIN_SEGMENT_SIZE);

    sealed interface Cmd {}
    /** expect: 0 any, 1 none, 2 exists, 3 exact(current + delta) */
    record Append(List<Integer> streams, int type, int expect, int delta, int padding) implements Cmd {}
    record Read(int stream, boolean recursive, int from, int limit, boolean backward, int type) implements Cmd {}
    record Retry(int which) implements Cmd {}
    record Restart() implements Cmd {}

    /** One event as the model keeps it. */
    record Ev(long seq, String stream, long version, String type, UUID id, String data) {}

    @Provide
    Arbitrary<List<Cmd>> commands() {
        Arbitrary<Cmd> append = Combinators.combine(
                Arbitraries.integers().between(0, STREAMS.length - 1).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 3), Arbitraries.integers().between(-1, 1),
                Arbitraries.integers().between(0, 3000)).as((s, t, e, d, p) -> (Cmd) new Append(s, t, e, d, p));
        Arbitrary<Cmd> read = Combinators.combine(Arbitraries.integers().between(-1, STREAMS.length - 1), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 30), Arbitraries.integers().between(0, 8), Arbitraries.of(true, false),
                Arbitraries.integers().between(-1, 1)).as((s, r, f, l, b, t) -> (Cmd) new Read(s, r, f, l, b, t));
        Arbitrary<Cmd> retry = Arbitraries.integers().between(0, 50).map(i -> (Cmd) new Retry(i));
        Arbitrary<Cmd> restart = Arbitraries.just(new Restart());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, append), net.jqwik.api.Tuple.of(4, read),
                net.jqwik.api.Tuple.of(1, retry), net.jqwik.api.Tuple.of(1, restart)).list().ofMaxSize(40);
    }

    @Property(tries = 150)
    void theEngineAgreesWithAListInMemory(@ForAll("commands") List<Cmd> commands) throws Exception {
        Path dir = FileSystems.jimfsDir();
        List<Ev> model = new ArrayList<>();
        Map<String, Long> versions = new HashMap<>();
        List<Object[]> committed = new ArrayList<>(); // {AppendBatch, AppendResult}
        EventStore es = EventStore.open(dir, SMALL);
        try {
            for (Cmd c : commands) {
                switch (c) {
                    case Append a -> {
                        List<NewEvent> events = new ArrayList<>();
                        for (int s : a.streams()) {
                            String data = "{\"n\":" + model.size() + ",\"pad\":\"" + "p".repeat(a.padding()) + "\"}";
                            events.add(new NewEvent(STREAMS[s], TYPES[a.type()], UUID.randomUUID(), data.getBytes(StandardCharsets.UTF_8), null));
                        }
                        String first = STREAMS[a.streams().get(0)];
                        long current = versions.getOrDefault(first, 0L);
                        Expectation x = switch (a.expect()) {
                            case 1 -> Expectation.NONE;
                            case 2 -> Expectation.EXISTS;
                            case 3 -> new Expectation.Exact(Math.max(0, current + a.delta()));
                            default -> Expectation.ANY;
                        };
                        AppendBatch batch = new AppendBatch(events, x instanceof Expectation.Any ? Map.of() : Map.of(first, x), StoreConfig.DEFAULT_MAX_EVENT_BYTES);
                        if (!x.admits(current)) {
                            EventStore store = es;
                            WrongExpectedVersionException e = assertThrows(WrongExpectedVersionException.class, () -> store.append(batch), c.toString());
                            assertEquals(current, e.actualVersion());
                            continue;
                        }
                        AppendResult r = es.append(batch);
                        assertFalse(r.replay());
                        assertEquals(model.size() + 1, r.firstSeq(), c.toString());
                        for (NewEvent e : events) {
                            long v = versions.merge(e.stream(), 1L, Long::sum);
                            model.add(new Ev(model.size() + 1, e.stream(), v, e.type(), e.id(), new String(e.data(), StandardCharsets.UTF_8)));
                        }
                        committed.add(new Object[] {batch, r});
                    }
                    case Retry t -> {
                        if (committed.isEmpty()) continue;
                        Object[] original = committed.get(t.which() % committed.size());
                        AppendResult again = es.append((AppendBatch) original[0]);
                        assertEquals(((AppendResult) original[1]).asReplay(), again, "a retry is a replay of the original");
                    }
                    case Restart r -> {
                        es.close();
                        es = EventStore.open(dir, SMALL);
                    }
                    case Read r -> check(es, model, versions, r);
                }
            }
            assertEquals(model.size(), es.head().seq());
            for (String s : STREAMS) {
                var info = es.stream(s);
                assertEquals(versions.getOrDefault(s, 0L), info == null ? 0 : info.lastVersion(), s);
            }
        } finally {
            es.close();
        }
    }

    private static void check(EventStore es, List<Ev> model, Map<String, Long> versions, Read r) {
        String stream = r.stream() < 0 ? null : STREAMS[r.stream()];
        boolean recursive = stream != null && r.recursive();
        Set<String> types = r.type() < 0 ? Set.of() : new HashSet<>(List.of(TYPES[r.type()]));
        long limit = r.limit() == 0 ? Long.MAX_VALUE : r.limit();
        ReadQuery q = new ReadQuery(stream, recursive, r.from(), limit, r.backward(), types);
        boolean bySeq = q.bySeq();
        List<Ev> expected = new ArrayList<>();
        for (Ev e : model) {
            if (stream != null && !(recursive ? Names.inSubtree(e.stream(), stream) : e.stream().equals(stream))) continue;
            if (!types.isEmpty() && !types.contains(e.type())) continue;
            long position = bySeq ? e.seq() : e.version();
            if (r.from() > 0 && (r.backward() ? position > r.from() : position < r.from())) continue;
            expected.add(e);
        }
        if (r.backward()) java.util.Collections.reverse(expected);
        if (expected.size() > limit) expected = expected.subList(0, (int) limit);
        List<Ev> actual = new ArrayList<>();
        try (EventReader reader = es.read(q)) {
            for (EventRecord e; (e = reader.next()) != null; ) {
                actual.add(new Ev(e.seq(), e.stream(), e.version(), e.type(), e.id(), new String(e.data(), StandardCharsets.UTF_8)));
            }
        }
        assertEquals(expected, actual, q.toString());
        Map<String, Long> listed = new LinkedHashMap<>();
        for (var s : es.streams("")) listed.put(s.stream(), s.lastVersion());
        assertEquals(new java.util.TreeMap<>(versions), new java.util.TreeMap<>(listed));
    }
}
