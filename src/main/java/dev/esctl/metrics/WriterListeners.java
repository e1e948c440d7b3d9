package dev.esctl.metrics;

import dev.esctl.engine.WriterStats;
import java.util.List;

/** Several {@link WriterStats.Listener}s as one (the writer has a single listener slot). */
public final class WriterListeners implements WriterStats.Listener {
    private final WriterStats.Listener[] listeners;

    private WriterListeners(List<WriterStats.Listener> listeners) {
        this.listeners = listeners.toArray(WriterStats.Listener[]::new);
    }

    /** One listener that passes every sample to each of {@code listeners}, in order. */
    public static WriterStats.Listener of(List<WriterStats.Listener> listeners) {
        return listeners.size() == 1 ? listeners.get(0) : new WriterListeners(List.copyOf(listeners));
    }

    @Override
    public void committed(int events, long bytes, long latencyNanos) {
        for (WriterStats.Listener l : listeners) l.committed(events, bytes, latencyNanos);
    }

    @Override
    public void group(int batches, long events) {
        for (WriterStats.Listener l : listeners) l.group(batches, events);
    }

    @Override
    public void forced(long nanos) {
        for (WriterStats.Listener l : listeners) l.forced(nanos);
    }

    @Override
    public void conflict() {
        for (WriterStats.Listener l : listeners) l.conflict();
    }

    @Override
    public void replayed() {
        for (WriterStats.Listener l : listeners) l.replayed();
    }

    @Override
    public void overloaded() {
        for (WriterStats.Listener l : listeners) l.overloaded();
    }

    @Override
    public void writerFailed() {
        for (WriterStats.Listener l : listeners) l.writerFailed();
    }
}
