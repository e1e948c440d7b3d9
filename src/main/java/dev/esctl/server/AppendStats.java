package dev.esctl.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Append requests that arrived over HTTP and those refused, by reason: the error code of the
 * answer ({@code wrong_expected_version}, {@code overloaded}, {@code invalid_json}, …). Codes
 * come from the code base, not from clients, so the number of reasons is bounded. What the
 * writer committed is counted by the engine's {@link dev.esctl.engine.WriterStats}. Thread-safe.
 */
public final class AppendStats {
    private final LongAdder requests = new LongAdder();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

    void request() {
        requests.increment();
    }

    void refused(String reason) {
        refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public long requests() {
        return requests.sum();
    }

    /** Refusals so far, by reason. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
