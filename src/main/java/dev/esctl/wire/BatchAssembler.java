package dev.esctl.wire;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.BadInputException;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects parsed input lines into one atomic batch and settles each stream's expectation, the
 * same way for the CLI and the HTTP API. A stream's expectation comes from, first, a
 * per-stream setting (a query parameter {@code expect.STREAM}, or the version a previous batch
 * of a split input left); then from the lines naming it ({@code "expect"}), which must agree;
 * then from the default for the whole batch ({@code --expect}, {@code ?expect=}), which must
 * agree with any line-level one. Not thread-safe.
 */
public final class BatchAssembler {
    private final Expectation defaultExpectation;
    private final Map<String, Expectation> perStream;
    private final List<NewEvent> events = new ArrayList<>();
    private final Map<String, Expectation> fromLines = new LinkedHashMap<>();

    /**
     * @param defaultExpectation for every stream of the batch (null: any)
     * @param perStream          expectations that win over everything else
     */
    public BatchAssembler(Expectation defaultExpectation, Map<String, Expectation> perStream) {
        this.defaultExpectation = defaultExpectation;
        this.perStream = perStream;
    }

    public int size() {
        return events.size();
    }

    public void add(ParsedEvent p, long lineNo) {
        events.add(p.event());
        String s = p.event().stream();
        Expectation line = p.expectation();
        if (line == null) return;
        if (defaultExpectation != null && !line.equals(defaultExpectation)) {
            throw new BadInputException("invalid_expectation", "line " + lineNo + " expects " + line.wire() + " of stream \"" + s
                    + "\", but the whole batch expects " + defaultExpectation.wire());
        }
        Expectation before = fromLines.putIfAbsent(s, line);
        if (before != null && !before.equals(line)) {
            throw new BadInputException("invalid_expectation", "line " + lineNo + " expects " + line.wire() + " of stream \"" + s
                    + "\", but an earlier line expects " + before.wire());
        }
    }

    /** The batch; throws BadInputException when it is empty or too large. */
    public AppendBatch build(int maxEventBytes) {
        Map<String, Expectation> expectations = new LinkedHashMap<>();
        for (NewEvent e : events) {
            String s = e.stream();
            if (expectations.containsKey(s)) continue;
            Expectation x = perStream.containsKey(s) ? perStream.get(s) : fromLines.containsKey(s) ? fromLines.get(s) : defaultExpectation;
            if (x != null && !(x instanceof Expectation.Any)) expectations.put(s, x);
        }
        // A per-stream expectation may name a stream the batch does not write: it is checked all
        // the same ("append to B only while A is at version 5").
        perStream.forEach((s, x) -> {
            if (!(x instanceof Expectation.Any)) expectations.putIfAbsent(s, x);
        });
        return new AppendBatch(events, expectations, maxEventBytes);
    }

    public void clear() {
        events.clear();
        fromLines.clear();
    }
}
