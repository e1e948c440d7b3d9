package dev.esctl.testing.campaign;

import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.StreamRange;
import dev.esctl.index.StreamInfo;
import dev.esctl.storage.EventRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a recovered store against the {@link History} of what was submitted and what each
 * append was told, for the properties DESIGN.md calls non-negotiable:
 * <ul>
 *   <li>every acknowledged batch is present, byte for byte (id, stream, version, type, data,
 *   meta), at the seqs and versions its acknowledgement named (when
 *   {@code acknowledgedMustSurvive}: the fsync policy is {@code always});</li>
 *   <li>every event present was submitted, once; refused batches are absent;</li>
 *   <li>each batch is all or nothing, its events consecutive and in order, and its
 *   expectations held against the log before it;</li>
 *   <li>seqs are 1..head without gaps, versions 1, 2, 3, ... per stream, and the stream table
 *   and head agree with the events.</li>
 * </ul>
 * Batches whose outcome is unknown (in flight at the crash) may be present or absent.
 * Stateless; returns the violations found (empty when all hold).
 */
public final class StateChecker {
    private StateChecker() {}

    public static List<Violation> check(History history, RecoveredState state, boolean acknowledgedMustSurvive) {
        List<Violation> out = new ArrayList<>();
        List<EventRecord> events = state.events();

        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).seq() != i + 1) {
                out.add(new Violation(Violation.Kind.SEQ_GAP, "event " + (i + 1) + " in global order has seq " + events.get(i).seq()));
                break;
            }
        }

        Map<SubmittedBatch, List<EventRecord>> found = new IdentityHashMap<>();
        Set<UUID> seen = new HashSet<>();
        for (EventRecord e : events) {
            History.EventRef ref = history.find(e.id());
            if (ref == null) {
                out.add(new Violation(Violation.Kind.UNKNOWN_EVENT, "seq " + e.seq() + " has id " + e.id() + ", which was never submitted"));
                continue;
            }
            if (!seen.add(e.id())) {
                out.add(new Violation(Violation.Kind.DUPLICATE_EVENT, "seq " + e.seq() + " repeats id " + e.id()));
                continue;
            }
            String diff = contentDifference(ref.event(), e);
            if (diff != null) out.add(new Violation(Violation.Kind.WRONG_CONTENT, "seq " + e.seq() + " (" + ref.batch() + "): " + diff));
            found.computeIfAbsent(ref.batch(), b -> new ArrayList<>()).add(e);
        }

        for (SubmittedBatch b : history.batches()) {
            List<EventRecord> got = found.get(b);
            if (got == null) {
                if (b.outcome() == Outcome.ACKNOWLEDGED && acknowledgedMustSurvive) {
                    out.add(new Violation(Violation.Kind.LOST_ACKNOWLEDGED, b + " is missing; the log ends at seq " + state.headSeq()));
                }
                continue;
            }
            if (b.outcome() == Outcome.REFUSED) {
                out.add(new Violation(Violation.Kind.REFUSED_BATCH_PRESENT, b + " is present from seq " + got.get(0).seq()));
            }
            checkWhole(b, got, out);
            if (b.outcome() == Outcome.ACKNOWLEDGED) checkAcknowledgement(b, got, out);
            checkExpectations(b, got, out);
        }

        Map<String, long[]> streams = new LinkedHashMap<>();
        for (EventRecord e : events) {
            long[] s = streams.computeIfAbsent(e.stream(), k -> new long[2]);
            if (e.version() != s[0] + 1) {
                out.add(new Violation(Violation.Kind.VERSION_GAP, "stream " + e.stream() + " goes from version " + s[0] + " to " + e.version() + " at seq " + e.seq()));
            }
            s[0] = e.version();
            s[1] = e.seq();
        }
        Map<String, StreamInfo> table = new HashMap<>();
        for (StreamInfo s : state.streams()) table.put(s.stream(), s);
        for (Map.Entry<String, long[]> s : streams.entrySet()) {
            StreamInfo t = table.remove(s.getKey());
            StreamInfo expected = new StreamInfo(s.getKey(), s.getValue()[0], s.getValue()[1]);
            if (!expected.equals(t)) out.add(new Violation(Violation.Kind.STATE_TABLE_MISMATCH, "the stream table says " + t + ", the events say " + expected));
        }
        if (!table.isEmpty()) out.add(new Violation(Violation.Kind.STATE_TABLE_MISMATCH, "the stream table lists streams without events: " + table.values()));
        if (state.headSeq() != events.size()) {
            out.add(new Violation(Violation.Kind.STATE_TABLE_MISMATCH, "the head is at seq " + state.headSeq() + " but " + events.size() + " events were read"));
        } else if (!events.isEmpty() && !Arrays.equals(state.headHash(), events.get(events.size() - 1).chainHash())) {
            out.add(new Violation(Violation.Kind.STATE_TABLE_MISMATCH, "the head hash is not the chain hash of the last event"));
        }
        return out;
    }

    private static String contentDifference(NewEvent n, EventRecord e) {
        if (!n.stream().equals(e.stream())) return "stream " + e.stream() + ", submitted " + n.stream();
        if (!n.type().equals(e.type())) return "type " + e.type() + ", submitted " + n.type();
        if (!Arrays.equals(n.data(), e.data())) return "data differs from what was submitted";
        if (!Arrays.equals(n.meta(), e.meta())) return "meta differs from what was submitted";
        return null;
    }

    private static void checkWhole(SubmittedBatch b, List<EventRecord> got, List<Violation> out) {
        List<NewEvent> events = b.batch().events();
        if (got.size() != events.size()) {
            out.add(new Violation(Violation.Kind.PARTIAL_BATCH, b + ": " + got.size() + " of its " + events.size() + " events are present, from seq " + got.get(0).seq()));
            return;
        }
        long first = got.get(0).seq();
        for (int i = 0; i < got.size(); i++) {
            if (!got.get(i).id().equals(events.get(i).id()) || got.get(i).seq() != first + i) {
                out.add(new Violation(Violation.Kind.PARTIAL_BATCH, b + ": its events are not consecutive and in order from seq " + first));
                return;
            }
        }
    }

    private static void checkAcknowledgement(SubmittedBatch b, List<EventRecord> got, List<Violation> out) {
        if (got.get(0).seq() != b.result().firstSeq() || got.get(got.size() - 1).seq() != b.result().lastSeq()) {
            out.add(new Violation(Violation.Kind.ACKNOWLEDGEMENT_MISMATCH, b + " is at seqs " + got.get(0).seq() + ".." + got.get(got.size() - 1).seq()));
        }
        Map<String, long[]> versions = new LinkedHashMap<>();
        for (EventRecord e : got) {
            versions.compute(e.stream(), (s, r) -> r == null ? new long[] {e.version(), e.version(), 1} : new long[] {r[0], e.version(), r[2] + 1});
        }
        List<StreamRange> ranges = new ArrayList<>();
        versions.forEach((s, r) -> ranges.add(new StreamRange(s, r[0], r[1], r[2])));
        if (!ranges.equals(b.result().streams())) {
            out.add(new Violation(Violation.Kind.ACKNOWLEDGEMENT_MISMATCH, b + " was told versions " + b.result().streams() + " but holds " + ranges));
        }
    }

    private static void checkExpectations(SubmittedBatch b, List<EventRecord> got, List<Violation> out) {
        for (Map.Entry<String, Expectation> x : b.batch().expectations().entrySet()) {
            EventRecord first = got.stream().filter(e -> Objects.equals(e.stream(), x.getKey())).findFirst().orElse(null);
            if (first == null) continue; // reported as a partial batch
            long before = first.version() - 1;
            if (!x.getValue().admits(before)) {
                out.add(new Violation(Violation.Kind.EXPECTATION_BROKEN, b + " expected " + x.getKey() + " at " + x.getValue().wire() + " but it was at version " + before));
            }
        }
    }
}
