package dev.esctl.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last version and last seq of every stream, for expectation checks and stream listing.
 * Written only by the writer thread (after a group is on disk), read by any thread.
 */
final class StreamTable {
    private final ConcurrentHashMap<String, long[]> streams = new ConcurrentHashMap<>();

    /** The stream's last version; 0 when it does not exist. */
    long lastVersion(String stream) {
        long[] s = streams.get(stream);
        return s == null ? 0 : s[0];
    }

    StreamState get(String stream) {
        long[] s = streams.get(stream);
        return s == null ? null : new StreamState(stream, s[0], s[1]);
    }

    /** Records that {@code stream} now ends at {@code version}, event {@code seq}. Writer thread only. */
    void advance(String stream, long version, long seq) {
        streams.put(stream, new long[] {version, seq});
    }

    int size() {
        return streams.size();
    }

    /** Streams whose name starts with {@code prefix} (every stream for ""), in name order. */
    List<StreamState> list(String prefix) {
        List<StreamState> out = new ArrayList<>();
        streams.forEach((name, s) -> {
            if (name.startsWith(prefix)) out.add(new StreamState(name, s[0], s[1]));
        });
        out.sort(Comparator.comparing(StreamState::stream));
        return out;
    }
}
