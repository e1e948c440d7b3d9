package dev.esctl.bench;

import dev.esctl.engine.EventStore;
import java.net.URI;
import java.util.List;

/**
 * Where the read, watch and mixed loads go: a daemon over HTTP ({@link HttpTarget}) or a store
 * in this process ({@link InProcessTarget}), as the few operations those benchmarks need.
 * Thread-safe; each client thread takes its own {@link Connection}.
 */
public interface LoadTarget {
    /** @param eventBytes bytes of JSON data in each event it appends */
    static LoadTarget http(URI server, String token, int eventBytes) {
        return new HttpTarget(server, token, AppendBenchmark.payload(eventBytes));
    }

    static LoadTarget inProcess(EventStore store, int eventBytes) {
        return new InProcessTarget(store, AppendBenchmark.payload(eventBytes));
    }

    /** A new client session. */
    Connection connect();

    /** The seq of the last committed event. */
    long headSeq() throws Exception;

    /** Up to {@code max} stream names, in name order. */
    List<String> streams(int max) throws Exception;

    /** The server's memory and CPU, or null when the load runs in this process. */
    ServerProbe probe();

    String describe();

    /** What one read returned: events, bytes of ndjson, and the first and last seq seen (0 when empty). */
    record ReadCount(long events, long bytes, long firstSeq, long lastSeq) {}

    /**
     * What a watcher follows: {@code stream} (null: everything; with {@code recursive} a subtree)
     * from the end of the log, and which events are the benchmark's own: those whose stream name
     * starts with {@code own}. Others are counted as foreign and otherwise ignored.
     */
    record WatchSpec(String stream, boolean recursive, String own) {}

    /** Told what a watcher receives, on the watcher's thread. */
    interface WatchSink {
        /** The watch is live: events committed from now on will be delivered. */
        void caughtUp();

        /** One of the benchmark's events, received at {@code nanos} (System.nanoTime). */
        void event(long seq, long nanos);

        /** An event of someone else's stream. */
        void foreign();

        /** The server said this watcher fell behind the head. */
        void fellBehind();
    }

    /** One client's session. Not thread-safe, except {@link #close}, which ends a {@link #watch} from any thread. */
    interface Connection extends AutoCloseable {
        /** Appends {@code events} events of the target's payload to {@code stream} (expectation any); returns {firstSeq, lastSeq}. */
        long[] append(String stream, int events) throws Exception;

        /**
         * Reads all of {@code stream}, or with null every event from seq 1, as ndjson (in-process:
         * encoded as the daemon would send it). Checks the order as it goes: strictly rising seqs,
         * and for everything exactly 1, 2, 3, … — a gap or a repeat throws.
         */
        ReadCount read(String stream) throws Exception;

        /** Follows {@code spec} from the end of the log until {@link #close}; returns then, or throws when the watch broke. */
        void watch(WatchSpec spec, WatchSink sink) throws Exception;

        @Override
        void close();
    }
}
