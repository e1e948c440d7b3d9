package dev.esctl.testing.campaign;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.AppendResult;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.WrongExpectedVersionException;
import dev.esctl.storage.StoreException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything a test submitted to a store (across restarts) and what each append was told:
 * the reference a recovered store is checked against. Not thread-safe: one test thread
 * submits and waits.
 */
public final class History {
    /** Where a submitted event is: its batch and its place in the batch. */
    public record EventRef(SubmittedBatch batch, int index) {
        public NewEvent event() {
            return batch.batch().events().get(index);
        }
    }

    private static final long APPEND_TIMEOUT_SECONDS = 30;

    private final List<SubmittedBatch> batches = new ArrayList<>();
    private final Map<UUID, EventRef> byId = new HashMap<>();

    /** Submits {@code batch} without waiting; call {@link #await} for each before looking at outcomes. */
    public Pending submit(EventStore store, AppendBatch batch, int round) {
        return new Pending(register(batch, round), store.appendAsync(batch));
    }

    /**
     * Appends {@code batch} with the blocking {@link EventStore#append}, which commits a batch
     * that comes alone on this thread rather than on the writer thread; the Pending returned is
     * complete. Call {@link #await} for it all the same.
     */
    public Pending appendHere(EventStore store, AppendBatch batch, int round) {
        SubmittedBatch b = register(batch, round);
        CompletableFuture<AppendResult> outcome;
        try {
            outcome = CompletableFuture.completedFuture(store.append(batch));
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return new Pending(b, outcome);
    }

    private SubmittedBatch register(AppendBatch batch, int round) {
        SubmittedBatch b = new SubmittedBatch(batches.size() + 1, round, batch);
        batches.add(b);
        List<NewEvent> events = batch.events();
        for (int i = 0; i < events.size(); i++) {
            if (byId.put(events.get(i).id(), new EventRef(b, i)) != null) {
                throw new IllegalStateException("the workload reused event id " + events.get(i).id());
            }
        }
        return b;
    }

    /** A submitted append and its future. */
    public record Pending(SubmittedBatch batch, CompletableFuture<AppendResult> future) {}

    /**
     * Waits for the append's outcome and records it. Returns false when it did not complete
     * within 30 s (the writer hung or died): the batch stays PENDING, which the checker treats
     * as unknown, and the caller should report the hang.
     */
    public boolean await(Pending p) {
        try {
            p.batch.acknowledged(p.future.get(APPEND_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WrongExpectedVersionException w) {
                p.batch.failed(Outcome.REFUSED, "conflict: " + w.getMessage());
            } else if (cause instanceof StoreException s) {
                Outcome o = s.code() == StoreException.Code.OUTCOME_UNKNOWN ? Outcome.UNKNOWN : Outcome.REFUSED;
                p.batch.failed(o, s.code() + ": " + s.getMessage());
            } else {
                // Not a documented answer to an append; keep it unknown and let the test decide.
                p.batch.failed(Outcome.UNKNOWN, "unexpected " + cause);
            }
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    public List<SubmittedBatch> batches() {
        return Collections.unmodifiableList(batches);
    }

    /** The submitted event with this id, or null if none was ever submitted. */
    public EventRef find(UUID id) {
        return byId.get(id);
    }

    public long count(Outcome outcome) {
        return batches.stream().filter(b -> b.outcome() == outcome).count();
    }

    public long events(Outcome outcome) {
        return batches.stream().filter(b -> b.outcome() == outcome).mapToLong(b -> b.batch().size()).sum();
    }

    /** Batches refused because of a version conflict (a subset of REFUSED). */
    public long conflicts() {
        return batches.stream().filter(b -> b.reason().startsWith("conflict")).count();
    }
}
