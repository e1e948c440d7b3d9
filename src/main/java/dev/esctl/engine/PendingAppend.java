package dev.esctl.engine;

import java.util.concurrent.CompletableFuture;

/** A batch waiting in the write queue, with the future its caller waits on. */
final class PendingAppend {
    final AppendBatch batch;
    final CompletableFuture<AppendResult> future = new CompletableFuture<>();
    final long enqueuedNanos;
    /** Filled by the writer when it accepts the batch: the version each event gets. */
    long[] versions;
    /** Filled by the writer once the batch is durable; the future gets it when the writer lets go. */
    AppendResult result;

    PendingAppend(AppendBatch batch, long enqueuedNanos) {
        this.batch = batch;
        this.enqueuedNanos = enqueuedNanos;
    }
}
