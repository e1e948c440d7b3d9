package dev.esctl.engine;

import java.util.Set;

/**
 * What to read.
 * <ul>
 *   <li>{@code stream == null}: every event in global order; {@code from} is a seq.</li>
 *   <li>a stream, not recursive: that stream's events; {@code from} is a version.</li>
 *   <li>a stream, recursive: the stream and every stream below it ({@code orders} covers
 *   {@code orders/42}) in global order; {@code from} is a seq.</li>
 * </ul>
 * With {@code seqPositions}, {@code from} is a seq for one stream too (a watch resumes by seq).
 * {@code from = 0} means the natural start: the first event, or the last one when
 * {@code backward}. {@code types}, when not empty, keeps only events of those types.
 */
public record ReadQuery(String stream, boolean recursive, long from, long limit, boolean backward, Set<String> types, boolean seqPositions) {

    public ReadQuery(String stream, boolean recursive, long from, long limit, boolean backward, Set<String> types) {
        this(stream, recursive, from, limit, backward, types, false);
    }

    public ReadQuery {
        if (from < 0) throw new BadInputException("invalid_from", "from " + from + " is negative");
        if (limit < 0) throw new BadInputException("invalid_limit", "limit " + limit + " is negative");
        types = types == null ? Set.of() : Set.copyOf(types);
        if (stream != null) Names.checkStream(stream);
        if (stream == null && recursive) throw new BadInputException("invalid_query", "recursive needs a stream to read below");
    }

    public static ReadQuery all() {
        return new ReadQuery(null, false, 0, Long.MAX_VALUE, false, Set.of());
    }

    public static ReadQuery stream(String stream) {
        return new ReadQuery(stream, false, 0, Long.MAX_VALUE, false, Set.of());
    }

    /** True when positions ({@code from}) are seqs rather than stream versions. */
    public boolean bySeq() {
        return stream == null || recursive || seqPositions;
    }

    public ReadQuery from(long from) {
        return new ReadQuery(stream, recursive, from, limit, backward, types, seqPositions);
    }

    public ReadQuery limit(long limit) {
        return new ReadQuery(stream, recursive, from, limit, backward, types, seqPositions);
    }

    public ReadQuery backward(boolean backward) {
        return new ReadQuery(stream, recursive, from, limit, backward, types, seqPositions);
    }

    public ReadQuery recursive(boolean recursive) {
        return new ReadQuery(stream, recursive, from, limit, backward, types, seqPositions);
    }

    /** The same query with {@code from} counted in seqs, also for one stream. */
    public ReadQuery bySeqPositions() {
        return new ReadQuery(stream, recursive, from, limit, backward, types, true);
    }

    public ReadQuery types(Set<String> types) {
        return new ReadQuery(stream, recursive, from, limit, backward, types, seqPositions);
    }
}
