package dev.esctl.engine;

import dev.esctl.index.StoreIndex;
import dev.esctl.index.StreamInfo;
import dev.esctl.storage.DataDirectory;
import dev.esctl.storage.LogHead;
import dev.esctl.storage.LogWriter;
import dev.esctl.storage.RecoveredLog;
import dev.esctl.storage.Recovery;
import dev.esctl.storage.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store: append (atomic batches with optimistic concurrency, group-committed by one
 * writer at a time), read (by stream, subtree or globally), and the commit position readers wait
 * on. Thread-safe. Opened for writing it holds the data directory's lock until closed; opened
 * read-only it takes no lock and sees the log as it was when opened (see {@link #refresh()}).
 */
public final class EventStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventStore.class);

    private final DataDirectory dir;
    private final StoreConfig config;
    private final DataDirectory.WriteLock lock;
    private final LogWriter logWriter;
    private final GroupCommitter writer;
    private final StoreIndex index;
    private final WriterStats stats = new WriterStats();
    private final WatchHub watchHub = new WatchHub();
    private final RecoveredLog recovered;
    private final ReentrantLock headLock = new ReentrantLock();
    private final Condition headAdvanced = headLock.newCondition();
    private final long openNanos;
    private volatile LogHead head;
    private volatile boolean closed;
    private dev.esctl.storage.LogFollower follower;

    private EventStore(DataDirectory dir, StoreConfig config, DataDirectory.WriteLock lock, RecoveredLog recovered,
                       LogWriter logWriter, StoreIndex index, LogHead head, long openNanos) {
        this.dir = dir;
        this.config = config;
        this.lock = lock;
        this.recovered = recovered;
        this.logWriter = logWriter;
        this.index = index;
        this.openNanos = openNanos;
        this.head = head;
        this.writer = logWriter == null ? null
                : new GroupCommitter(logWriter, index, config, recovered.headTimeMicros(), this::publish, stats, watchHub);
    }

    /** Opens (creating if needed) a store for writing: takes the lock, recovers, starts the writer. */
    public static EventStore open(Path root, StoreConfig config) throws IOException {
        return open(root, config, StoreIndex.Progress.NONE);
    }

    /** As {@link #open(Path, StoreConfig)}, reporting the progress of any index rebuild. */
    public static EventStore open(Path root, StoreConfig config, StoreIndex.Progress progress) throws IOException {
        long start = System.nanoTime();
        DataDirectory dir = new DataDirectory(root);
        dir.create();
        DataDirectory.WriteLock lock = dir.lockForWriting();
        LogWriter logWriter = null;
        StoreIndex index = null;
        try {
            RecoveredLog recovered = Recovery.recover(dir, Recovery.Mode.WRITE);
            logWriter = LogWriter.open(dir, recovered, config.segmentSizeBytes(), writeBufferBytes(config), config.preallocate());
            LogHead head = logWriter.head(recovered.headTimeMicros());
            index = StoreIndex.open(dir, head, true, progress);
            EventStore store = new EventStore(dir, config, lock, recovered, logWriter, index, head, System.nanoTime() - start);
            store.writer.start();
            return store;
        } catch (IOException | RuntimeException e) {
            if (index != null) index.close();
            if (logWriter != null) logWriter.close();
            lock.close();
            throw e;
        }
    }

    /** Opens a store for reading only: no lock, no changes to any file, the log as of now. */
    public static EventStore openReadOnly(Path root) throws IOException {
        long start = System.nanoTime();
        DataDirectory dir = new DataDirectory(root);
        RecoveredLog recovered = Recovery.recover(dir, Recovery.Mode.READ_ONLY);
        LogHead head = recovered.head();
        StoreIndex index = StoreIndex.open(dir, head, false, StoreIndex.Progress.NONE);
        return new EventStore(dir, StoreConfig.defaults(), null, recovered, null, index, head, System.nanoTime() - start);
    }

    private static int writeBufferBytes(StoreConfig config) {
        return Math.max(1024 * 1024, 2 * (config.maxEventBytes() + 4096));
    }

    /** Queues a batch; the future completes when it is durable (per the fsync policy) or refused. */
    public CompletableFuture<AppendResult> appendAsync(AppendBatch batch) {
        return submit(batch, false);
    }

    /**
     * Appends a batch and waits for the outcome; rethrows a refusal as it was raised. When no
     * other append is in flight the calling thread may write and force the batch itself, so do
     * not interrupt a thread while it appends: an interrupt closes the log file, and the store
     * then refuses appends, as after any failed write, until it is reopened.
     */
    public AppendResult append(AppendBatch batch) {
        try {
            return submit(batch, true).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private CompletableFuture<AppendResult> submit(AppendBatch batch, boolean mayCommitHere) {
        if (writer == null) return CompletableFuture.failedFuture(new StoreException(StoreException.Code.CLOSED, "the store is open read-only"));
        return writer.submit(batch, mayCommitHere);
    }

    /** The commit position: what readers may see. */
    public LogHead head() {
        return head;
    }

    /**
     * Waits until an event after {@code seq} is committed, or the timeout passes, or the store
     * closes; returns the head then.
     */
    public LogHead awaitHead(long seq, long timeout, TimeUnit unit) throws InterruptedException {
        LogHead h = head;
        if (h.seq() > seq || closed) return h;
        long nanos = unit.toNanos(timeout);
        headLock.lock();
        try {
            while ((h = head).seq() <= seq && !closed && nanos > 0) {
                nanos = headAdvanced.awaitNanos(nanos);
            }
            return h;
        } finally {
            headLock.unlock();
        }
    }

    private void publish(LogHead newHead) {
        headLock.lock();
        try {
            head = newHead;
            headAdvanced.signalAll();
        } finally {
            headLock.unlock();
        }
    }

    /** Reads through the indexes, as of the current head. */
    public EventReader read(ReadQuery query) {
        return new IndexedReader(head, index, query);
    }

    /** Reads through the indexes, as of the given head (a watch reads up to the head it saw). */
    EventReader read(ReadQuery query, LogHead asOf) {
        return new IndexedReader(asOf, index, query);
    }

    /** Reads by walking the log, ignoring every index: the reference the indexed reads must agree with. */
    public EventReader scan(ReadQuery query) {
        return new ScanReader(head, query);
    }

    /** The stream's state, or null when it does not exist. */
    public StreamInfo stream(String name) {
        return index.stream(name);
    }

    /** Streams whose names start with {@code prefix}, in name order (UTF-8 bytes). */
    public List<StreamInfo> streams(String prefix) {
        return index.streams(prefix == null ? "" : prefix);
    }

    public int streamCount() {
        return index.streamCount();
    }

    /** True when at least one stream is {@code prefix} or lies below it. */
    public boolean subtreeExists(String prefix) {
        for (StreamInfo s : index.streams(prefix)) {
            if (Names.inSubtree(s.stream(), prefix)) return true;
        }
        return false;
    }

    public StoreIndex index() { return index; }

    WatchHub watchHub() { return watchHub; }

    /** Starts a watch (see {@link Watch}); close it when done. */
    public Watch watch(WatchQuery query) {
        if (closed) throw new StoreException(StoreException.Code.CLOSED, "the store is closed");
        if (query.stream() != null && query.fromVersion() > 0) Names.checkStream(query.stream());
        return new Watch(this, query);
    }

    /**
     * A read-only store follows a log that another process writes: looks for events committed
     * since it last looked and makes them readable. For offline {@code esctl watch --data}.
     */
    public void refresh() throws IOException {
        if (writer != null) return;
        synchronized (this) {
            if (follower == null) follower = new dev.esctl.storage.LogFollower(dir, head);
            LogHead newer = follower.poll();
            if (newer.seq() != head.seq()) {
                java.util.Set<String> touched = index.catchUp(newer);
                publish(newer);
                watchHub.committed(touched);
            }
        }
    }

    public StoreConfig config() { return config; }
    public DataDirectory directory() { return dir; }
    public WriterStats stats() { return stats; }
    public boolean readOnly() { return writer == null; }
    public RecoveredLog recovered() { return recovered; }
    public long openNanos() { return openNanos; }
    public int writeQueueDepth() { return writer == null ? 0 : writer.queueDepth(); }

    /** Why appends are refused, or null while the writer is healthy (or the store is read-only). */
    public StoreException writerFailure() {
        return writer == null ? null : writer.failure();
    }

    /** Commits what is queued, forces, closes files and releases the lock. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        try {
            if (writer != null) writer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            watchHub.close();
            publish(head);
            try {
                if (logWriter != null) {
                    if (writer.failure() == null) {
                        logWriter.closeCleanly();
                        index.closeCleanly(head);
                    } else {
                        logWriter.close();
                    }
                }
            } finally {
                try {
                    index.close();
                    for (var s : head.segments()) s.close();
                } finally {
                    if (lock != null) lock.close();
                }
            }
            log.debug("event=store_closed data={} head_seq={}", dir.root(), head.seq());
        }
    }
}
