package dev.esctl.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a batch's {@link StreamRange}s from its events' versions, in seq order, streams in the
 * order they first appear. A run of events to one stream (the usual batch) costs one map lookup.
 * Not thread-safe.
 */
final class StreamRanges {
    private final Map<String, long[]> ranges = new LinkedHashMap<>(); // stream -> {first version, last version, count}
    private String runStream;
    private long[] run;

    /** The next event of the batch went to {@code stream} as {@code version}. */
    void add(String stream, long version) {
        if (!stream.equals(runStream)) {
            runStream = stream;
            run = ranges.computeIfAbsent(stream, s -> new long[] {version, 0, 0});
        }
        run[1] = version;
        run[2]++;
    }

    List<StreamRange> build() {
        List<StreamRange> streams = new ArrayList<>(ranges.size());
        ranges.forEach((s, r) -> streams.add(new StreamRange(s, r[0], r[1], r[2])));
        return List.copyOf(streams);
    }
}
