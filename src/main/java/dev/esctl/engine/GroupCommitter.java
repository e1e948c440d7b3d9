package dev.esctl.engine;

import dev.esctl.index.StoreIndex;
import dev.esctl.storage.FrameLayout;
import dev.esctl.storage.LogHead;
import dev.esctl.storage.LogWriter;
import dev.esctl.storage.Segment;
import dev.esctl.storage.SegmentLayout;
import dev.esctl.storage.StoreException;
import java.io.IOException;
import java.time.Instant;
import dev.esctl.storage.EventRecord;
import dev.esctl.storage.LogCursor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread and its bounded queue (group commit). The writer drains every
 * queued batch, checks each one's expectations in order against the stream table as updated
 * by the batches before it in the same group, encodes the accepted ones into one buffer,
 * writes once and forces once (fsync {@code always}), and only then updates the stream table,
 * publishes the new head and completes the callers' futures.
 *
 * <p>"The writer" is whoever holds {@link #writing}: the writer thread, or, when appends come one
 * at a time, the appending thread itself ({@link #committedHere}). Everything the writer owns
 * (log writer, index writes, the fields below) is touched only under that lock, so there is
 * still exactly one writer at a time.
 *
 * <p>Fail-stop: a failed write or force poisons the writer. Batches in the failed group get
 * OUTCOME_UNKNOWN (their bytes may or may not be on disk); every later one gets WRITER_FAILED.
 * A failed force is never retried: the kernel may have dropped the dirty pages, so only a
 * restart with recovery from disk is safe.
 */
final class GroupCommitter {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    private static final int MAX_GROUP_REQUESTS = 4096;
    private static final PendingAppend STOP = new PendingAppend(null, 0);

    private final LogWriter logWriter;
    private final StoreIndex index;
    private final long groupBytesMax;
    private final FsyncPolicy fsync;
    private final long checkpointIntervalNanos;
    private final Consumer<LogHead> publisher;
    private final WriterStats stats;
    private final WatchHub watchHub;
    private final BlockingQueue<PendingAppend> queue;
    private final Thread thread;
    private volatile StoreException failure;
    private volatile boolean closed;
    /** Held by whoever writes: the writer thread, or an appending thread committing its lone batch. */
    private final ReentrantLock writing = new ReentrantLock();
    /** From the moment the writer thread takes a batch until it has committed its group. */
    private volatile boolean writerBusy;
    /** The last group was one batch with nothing waiting behind it: appends come one at a time. */
    private volatile boolean quiet;
    /** Batches committed under {@link #writing} and not yet acknowledged. */
    private final List<PendingAppend> committed = new ArrayList<>();
    private long lastTimeMicros;
    private boolean unforced;
    private long lastForceNanos = System.nanoTime();
    private long lastCheckpointNanos = System.nanoTime();

    GroupCommitter(LogWriter logWriter, StoreIndex index, StoreConfig config, long lastTimeMicros,
                   Consumer<LogHead> publisher, WriterStats stats, WatchHub watchHub) {
        this.watchHub = watchHub;
        this.logWriter = logWriter;
        this.index = index;
        // A group is written to one segment: keep it within one, and within a sane write size.
        this.groupBytesMax = Math.min(config.segmentSizeBytes() - SegmentLayout.HEADER_BYTES - SegmentLayout.FOOTER_BYTES, 64L << 20);
        this.fsync = config.fsync();
        this.checkpointIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.checkpointIntervalMs());
        this.publisher = publisher;
        this.stats = stats;
        this.lastTimeMicros = lastTimeMicros;
        this.queue = new ArrayBlockingQueue<>(config.writeQueueRequests());
        this.thread = new Thread(this::run, "esctl-writer");
        this.thread.setDaemon(false);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues a batch; the future completes once it is committed (or refused). Never blocks on
     * other appends. With {@code mayCommitHere} a lone batch may be committed on the calling
     * thread instead (see {@link #committedHere}): the future is then complete on return, and an
     * interrupt of the caller during that commit would close the log file and stop the writer.
     */
    CompletableFuture<AppendResult> submit(AppendBatch batch, boolean mayCommitHere) {
        StoreException failed = failure;
        if (failed != null) return CompletableFuture.failedFuture(writerFailed(failed));
        if (closed) return CompletableFuture.failedFuture(new StoreException(StoreException.Code.CLOSED, "the store is closed"));
        PendingAppend p = new PendingAppend(batch, System.nanoTime());
        if (mayCommitHere && committedHere(p)) return p.future;
        if (!queue.offer(p)) {
            stats.overloaded();
            return CompletableFuture.failedFuture(new StoreException(StoreException.Code.OVERLOADED,
                    "the write queue is full (" + queue.size() + " batches waiting); retry later"));
        }
        // Queued after close() emptied the queue for the last time: nobody would ever answer it.
        if (closed && !thread.isAlive() && queue.remove(p)) {
            p.future.completeExceptionally(new StoreException(StoreException.Code.CLOSED, "the store is closed"));
        }
        return p.future;
    }

    /**
     * Commits the batch on the calling thread when appends come one at a time: the last group
     * was a single batch with nothing waiting behind it, the writer thread is idle and nothing is
     * queued. A lone caller then waits for its force only, not also for the hand-off to the writer
     * thread and back (two thread wake-ups: at one client over HTTP, 0.58 → 0.41 ms p50). Under
     * concurrent load it never applies and the writer thread groups the commits as before. Only
     * with fsync {@code always}: the interval policy's timed force belongs to the writer thread.
     * Refused (false) when the caller is interrupted: an interrupt closes a file channel.
     */
    private boolean committedHere(PendingAppend p) {
        if (fsync.mode() != FsyncPolicy.Mode.ALWAYS || !quiet || writerBusy || !queue.isEmpty()
                || Thread.currentThread().isInterrupted() || !writing.tryLock()) {
            return false;
        }
        List<PendingAppend> acks;
        try {
            // Checked again under the lock: the writer may have taken a batch in between.
            if (writerBusy || !queue.isEmpty() || failure != null || closed) return false;
            List<PendingAppend> group = new ArrayList<>(1);
            group.add(p);
            try {
                commit(group);
            } catch (IOException | RuntimeException e) {
                poison(e, group);
            }
            acks = takeCommitted();
        } finally {
            writing.unlock();
        }
        acknowledge(acks);
        return true;
    }

    int queueDepth() {
        return queue.size();
    }

    /** The failure that stopped the writer, or null while it is healthy. */
    StoreException failure() {
        return failure;
    }

    /** Stops after the batches already queued are committed; forces what is unforced. */
    void close() throws InterruptedException {
        closed = true;
        queue.put(STOP);
        thread.join();
        for (PendingAppend p; (p = queue.poll()) != null; ) {
            if (p != STOP) p.future.completeExceptionally(new StoreException(StoreException.Code.CLOSED, "the store closed before this append was written"));
        }
    }

    private void run() {
        List<PendingAppend> group = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                PendingAppend first = unforced && fsync.mode() == FsyncPolicy.Mode.INTERVAL
                        ? queue.poll(Math.max(1, fsync.intervalMs() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastForceNanos)), TimeUnit.MILLISECONDS)
                        : queue.take();
                writerBusy = true;
                writing.lock();
                List<PendingAppend> acks = List.of();
                try {
                    if (first != null) {
                        group.add(first);
                        queue.drainTo(group, MAX_GROUP_REQUESTS - 1);
                        stop = group.remove(STOP);
                        if (failure != null) {
                            for (PendingAppend p : group) p.future.completeExceptionally(writerFailed(failure));
                        } else if (!group.isEmpty()) {
                            commit(group);
                        }
                        group.clear();
                    }
                    if (failure == null) forceIfDue(stop);
                } catch (IOException | RuntimeException e) {
                    poison(e, group);
                    group.clear();
                } finally {
                    acks = takeCommitted();
                    writing.unlock();
                    writerBusy = false;
                }
                acknowledge(acks);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop = true;
            }
        }
    }

    /**
     * Checks every batch of the drained queue in order — a retry of a committed batch is answered
     * with the original result, a conflict is refused — then writes the accepted ones in groups
     * of at most {@link #groupBytesMax}.
     */
    private void commit(List<PendingAppend> drained) throws IOException {
        Map<String, Long> staged = new HashMap<>();
        Map<UUID, PendingAppend> stagedIds = drained.size() > 1 ? new HashMap<>() : null;
        List<PendingAppend> accepted = new ArrayList<>(drained.size());
        Map<PendingAppend, PendingAppend> retriesOfAccepted = new LinkedHashMap<>();
        for (PendingAppend p : drained) {
            Object retry;
            try {
                retry = retryOf(p, stagedIds);
            } catch (IdReusedException e) {
                p.future.completeExceptionally(e);
                continue;
            }
            if (retry instanceof AppendResult original) {
                stats.replayed();
                p.future.complete(original);
                continue;
            }
            if (retry instanceof PendingAppend original) {
                retriesOfAccepted.put(p, original);
                continue;
            }
            WrongExpectedVersionException conflict = assignVersions(p, staged);
            if (conflict != null) {
                stats.conflict();
                p.future.completeExceptionally(conflict);
            } else {
                accepted.add(p);
                if (stagedIds != null) for (NewEvent e : p.batch.events()) if (!e.freshId()) stagedIds.put(e.id(), p);
            }
        }
        int from = 0;
        while (from < accepted.size()) {
            long bytes = accepted.get(from).batch.frameBytes();
            int to = from + 1;
            while (to < accepted.size() && bytes + accepted.get(to).batch.frameBytes() <= groupBytesMax) {
                bytes += accepted.get(to++).batch.frameBytes();
            }
            writeGroup(accepted.subList(from, to), bytes);
            from = to;
        }
        // Retries of a batch that was still in this drained list share its outcome.
        retriesOfAccepted.forEach((retry, original) -> {
            stats.replayed();
            original.future.whenComplete((r, e) -> {
                if (e != null) retry.future.completeExceptionally(e); else retry.future.complete(r.asReplay());
            });
        });
    }

    /**
     * Null when the batch's ids are new. When they belong to a committed batch with exactly the
     * same events, that batch's result (a replay); when they belong to an accepted batch earlier
     * in this drained list with the same events, that batch. Any other reuse of an id is refused.
     */
    private Object retryOf(PendingAppend p, Map<UUID, PendingAppend> stagedIds) {
        List<NewEvent> events = p.batch.events();
        NewEvent first = events.get(0);
        // A retry repeats its batch's ids, so a batch that starts with a fresh id is not one.
        boolean mayRetry = !first.freshId();
        long seq0 = mayRetry ? index.seqOfId(first.id().getMostSignificantBits(), first.id().getLeastSignificantBits()) : -1;
        PendingAppend pending = mayRetry && stagedIds != null ? stagedIds.get(first.id()) : null;
        if (seq0 < 0 && pending == null) {
            for (NewEvent e : events) {
                if (e.freshId()) continue;
                long s = index.seqOfId(e.id().getMostSignificantBits(), e.id().getLeastSignificantBits());
                if (s >= 0) throw new IdReusedException(e.id(), s, "and this batch mixes it with new ids");
                if (stagedIds != null && stagedIds.containsKey(e.id())) throw new IdReusedException(e.id(), 0, "and this batch mixes it with new ids");
            }
            return null;
        }
        if (pending != null) {
            if (!sameEvents(pending.batch.events(), events)) throw new IdReusedException(first.id(), 0, "with different events");
            return pending;
        }
        return committedReplay(events, seq0);
    }

    private static boolean sameEvents(List<NewEvent> a, List<NewEvent> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            NewEvent x = a.get(i), y = b.get(i);
            if (!x.id().equals(y.id()) || !x.stream().equals(y.stream()) || !x.type().equals(y.type())
                    || !Arrays.equals(x.data(), y.data()) || !Arrays.equals(x.meta(), y.meta())) return false;
        }
        return true;
    }

    /** The original result when the committed events from {@code seq0} are exactly this batch; refuses otherwise. */
    private AppendResult committedReplay(List<NewEvent> events, long seq0) {
        LogHead head = logWriter.head(lastTimeMicros);
        long last = seq0 + events.size() - 1;
        if (last > head.seq()) throw new IdReusedException(events.get(0).id(), seq0, "by a batch of other events");
        StreamRanges ranges = new StreamRanges();
        long time = 0;
        try (LogCursor c = LogCursor.forLookups(head, seq0, index.floor(head, seq0))) {
            for (int i = 0; i < events.size(); i++) {
                if (!c.next()) throw new IdReusedException(events.get(i).id(), seq0 + i, "by a batch of other events");
                EventRecord r = c.record();
                NewEvent e = events.get(i);
                boolean batchEndsHere = i == events.size() - 1;
                if (!r.id().equals(e.id()) || !r.stream().equals(e.stream()) || !r.type().equals(e.type())
                        || !Arrays.equals(r.data(), e.data()) || !Arrays.equals(r.meta(), e.meta())
                        || r.commitsBatch() != batchEndsHere) {
                    throw new IdReusedException(e.id(), r.seq(), "with different events (or in a batch of other events)");
                }
                time = r.timeMicros();
                ranges.add(r.stream(), r.version());
            }
        }
        if (seq0 > 1) {
            try (LogCursor c = LogCursor.forLookups(head, seq0 - 1, index.floor(head, seq0 - 1))) {
                if (c.next() && !c.record().commitsBatch()) throw new IdReusedException(events.get(0).id(), seq0, "inside a larger batch");
            }
        }
        return new AppendResult(seq0, last, time, ranges.build(), true);
    }

    /**
     * One group: roll the segment if the group does not fit, encode, write once, force once
     * (policy always), then apply to the index, publish the head and acknowledge.
     */
    private void writeGroup(List<PendingAppend> group, long groupBytes) throws IOException {
        Segment sealed = logWriter.rollIfFull(groupBytes);
        if (sealed != null) index.segmentSealed(sealed, logWriter.activeSegmentFirstSeq());
        long time = Math.max(lastTimeMicros, nowMicros());
        int forcedFlag = fsync.mode() == FsyncPolicy.Mode.ALWAYS ? FrameLayout.FLAG_FORCED_GROUP : 0;
        long seq = logWriter.lastSeq();
        long firstSeq = seq + 1;
        for (int k = 0; k < group.size(); k++) {
            PendingAppend p = group.get(k);
            List<NewEvent> batchEvents = p.batch.events();
            int last = batchEvents.size() - 1;
            for (int i = 0; i <= last; i++) {
                NewEvent e = batchEvents.get(i);
                int flags = forcedFlag;
                if (i == last) flags |= FrameLayout.FLAG_COMMIT;
                if (i == last && k == group.size() - 1) flags |= FrameLayout.FLAG_GROUP_END;
                long offset = logWriter.append(++seq, p.versions[i], time, e.id().getMostSignificantBits(), e.id().getLeastSignificantBits(),
                        e.streamUtf8(), e.typeUtf8(), e.meta(), e.data(), flags);
                index.noteFrame(seq, offset);
            }
        }
        logWriter.flush();
        unforced = true;
        if (fsync.mode() == FsyncPolicy.Mode.ALWAYS) force();
        logWriter.endGroup();
        lastTimeMicros = time;

        // On disk (as the policy demands): now, and only now, make it visible and acknowledge.
        index.beginApply();
        try {
            long s = firstSeq;
            for (PendingAppend p : group) {
                List<NewEvent> events = p.batch.events();
                for (int i = 0; i < events.size(); i++) {
                    NewEvent e = events.get(i);
                    index.apply(e.streamUtf8(), e.streamHash(), p.versions[i], s++, e.id().getMostSignificantBits(), e.id().getLeastSignificantBits());
                }
            }
            // Inside the index lock: a reader never sees a stream's new version before the head
            // that makes its events readable.
            publisher.accept(logWriter.head(time));
        } finally {
            index.endApply();
        }
        if (watchHub.watched()) {
            java.util.Set<String> touched = new java.util.HashSet<>();
            for (PendingAppend p : group) for (NewEvent e : p.batch.events()) touched.add(e.stream());
            watchHub.committed(touched);
        }
        long next = firstSeq;
        long doneNanos = System.nanoTime();
        for (PendingAppend p : group) {
            p.result = result(p, next, time);
            next = p.result.lastSeq() + 1;
            stats.committed(p.batch.size(), p.batch.frameBytes(), doneNanos - p.enqueuedNanos);
            committed.add(p);
        }
        stats.group(group.size(), seq - firstSeq + 1);
        quiet = group.size() == 1 && queue.isEmpty();
    }

    /** Takes the batches committed under {@link #writing}, to be acknowledged once it is let go. Under the lock. */
    private List<PendingAppend> takeCommitted() {
        if (committed.isEmpty()) return List.of();
        List<PendingAppend> acks = new ArrayList<>(committed);
        committed.clear();
        return acks;
    }

    /**
     * Completes the futures of committed batches. Called after the lock is let go, so that a
     * caller woken by its acknowledgement finds the writer idle and may commit its next batch
     * itself ({@link #committedHere}).
     */
    private static void acknowledge(List<PendingAppend> acks) {
        for (PendingAppend p : acks) p.future.complete(p.result);
    }

    /**
     * Checks the batch's expectations against the staged versions and, when they hold, stages
     * the versions its events get. Returns the conflict, having staged nothing, when one fails:
     * a refused batch never affects the batches after it.
     */
    private WrongExpectedVersionException assignVersions(PendingAppend p, Map<String, Long> staged) {
        for (Map.Entry<String, Expectation> x : p.batch.expectations().entrySet()) {
            Long stagedVersion = staged.get(x.getKey());
            long current = stagedVersion != null ? stagedVersion : lastVersion(x.getKey());
            if (!x.getValue().admits(current)) return new WrongExpectedVersionException(x.getKey(), x.getValue(), current);
        }
        List<NewEvent> events = p.batch.events();
        long[] versions = new long[events.size()];
        // A run of events to one stream (the usual batch) costs one lookup and one staging.
        String runStream = null;
        long v = 0;
        for (int i = 0; i < versions.length; i++) {
            NewEvent e = events.get(i);
            if (!e.stream().equals(runStream)) {
                if (runStream != null) staged.put(runStream, v);
                runStream = e.stream();
                Long current = staged.get(runStream);
                v = current != null ? current : index.lastVersion(e.streamUtf8(), e.streamHash());
            }
            versions[i] = ++v;
        }
        staged.put(runStream, v);
        p.versions = versions;
        return null;
    }

    private long lastVersion(String stream) {
        byte[] utf8 = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return index.lastVersion(utf8, dev.esctl.index.StreamHash.of(utf8));
    }

    private static AppendResult result(PendingAppend p, long firstSeq, long time) {
        StreamRanges ranges = new StreamRanges();
        List<NewEvent> events = p.batch.events();
        for (int i = 0; i < events.size(); i++) ranges.add(events.get(i).stream(), p.versions[i]);
        return new AppendResult(firstSeq, firstSeq + events.size() - 1, time, ranges.build());
    }

    private void force() throws IOException {
        long start = System.nanoTime();
        logWriter.force();
        long end = System.nanoTime();
        stats.forced(end - start);
        lastForceNanos = end;
        unforced = false;
        if (end - lastCheckpointNanos >= checkpointIntervalNanos) {
            logWriter.checkpoint();
            lastCheckpointNanos = end;
        }
    }

    /** Forces when the interval policy is due, and on stop for every policy. */
    private void forceIfDue(boolean stopping) throws IOException {
        if (!unforced) return;
        boolean due = fsync.mode() == FsyncPolicy.Mode.INTERVAL
                && System.nanoTime() - lastForceNanos >= TimeUnit.MILLISECONDS.toNanos(fsync.intervalMs());
        if (due || stopping) {
            force();
            if (stopping) logWriter.checkpoint();
        }
    }

    private void poison(Throwable e, List<PendingAppend> group) {
        // Groups of this drained list written and forced before the failure are durable: say so first.
        acknowledge(takeCommitted());
        StoreException f = new StoreException(StoreException.Code.WRITER_FAILED,
                "the writer stopped after a failed write or fsync (" + e + "); appends are refused until a restart recovers from disk", e);
        failure = f;
        index.stopWriting();
        log.error("event=writer_failed error=\"{}\"", e.toString(), e);
        stats.writerFailed();
        for (PendingAppend p : group) {
            if (p != STOP) p.future.completeExceptionally(new StoreException(StoreException.Code.OUTCOME_UNKNOWN,
                    "the writer failed while this append was being written (" + e + "); it may or may not be on disk", e));
        }
    }

    private static StoreException writerFailed(StoreException failure) {
        return new StoreException(StoreException.Code.WRITER_FAILED, failure.getMessage(), failure.getCause());
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
