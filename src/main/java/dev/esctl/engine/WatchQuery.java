package dev.esctl.engine;

import java.util.Set;

/**
 * What a watch follows: every event, one stream, or a stream subtree ({@code recursive}),
 * optionally only some types; starting at a seq ({@code fromSeq}, 1 = the beginning), at a
 * version of one stream ({@code fromVersion > 0}), or at the end ({@code fromEnd}: only events
 * committed after the watch starts).
 */
public record WatchQuery(String stream, boolean recursive, Set<String> types, long fromSeq, long fromVersion, boolean fromEnd) {
    public WatchQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
        if (stream != null) Names.checkStream(stream);
        if (stream == null && recursive) throw new BadInputException("invalid_query", "recursive needs a stream to watch below");
        if (fromSeq < 0) throw new BadInputException("invalid_from", "from " + fromSeq + " is negative");
        if (fromVersion < 0) throw new BadInputException("invalid_from", "version " + fromVersion + " is negative");
        if (fromVersion > 0 && (stream == null || recursive)) throw new BadInputException("invalid_from", "a start version needs one stream (not recursive)");
        if (fromVersion > 0 && (fromEnd || fromSeq > 1)) throw new BadInputException("invalid_from", "give a start version, a seq, or end: one of them");
    }

    public static WatchQuery all() {
        return new WatchQuery(null, false, Set.of(), 1, 0, false);
    }

    boolean matches(String eventStream, String type) {
        if (!types.isEmpty() && !types.contains(type)) return false;
        if (stream == null) return true;
        return recursive ? Names.inSubtree(eventStream, stream) : eventStream.equals(stream);
    }
}
