package dev.esctl.testing.campaign;

import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.ReadQuery;
import dev.esctl.index.StreamInfo;
import dev.esctl.storage.EventRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** What an opened store holds: every event in global order, the stream table and the head. Immutable. */
public record RecoveredState(List<EventRecord> events, List<StreamInfo> streams, long headSeq, byte[] headHash) {

    public static RecoveredState read(EventStore store) {
        List<EventRecord> events = new ArrayList<>();
        try (EventReader r = store.read(ReadQuery.all())) {
            for (EventRecord e; (e = r.next()) != null; ) events.add(e);
        }
        return new RecoveredState(List.copyOf(events), store.streams(""), store.head().seq(), store.head().chainHash().clone());
    }

    /** Null when both states hold the same events (by seq, id and chain hash), streams and head; else the first difference. */
    public String difference(RecoveredState other) {
        if (headSeq != other.headSeq) return "head seq " + headSeq + " then " + other.headSeq;
        if (!Arrays.equals(headHash, other.headHash)) {
            return "head hash " + HexFormat.of().formatHex(headHash) + " then " + HexFormat.of().formatHex(other.headHash);
        }
        if (events.size() != other.events.size()) return events.size() + " events then " + other.events.size();
        for (int i = 0; i < events.size(); i++) {
            EventRecord a = events.get(i), b = other.events.get(i);
            if (a.seq() != b.seq() || !a.id().equals(b.id()) || !Arrays.equals(a.chainHash(), b.chainHash())) {
                return "event " + (i + 1) + ": seq " + a.seq() + " id " + a.id() + " then seq " + b.seq() + " id " + b.id();
            }
        }
        if (!streams.equals(other.streams)) return "streams " + streams + " then " + other.streams;
        return null;
    }
}
