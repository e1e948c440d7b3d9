package dev.esctl.engine;

/**
 * Settings of an open store.
 *
 * @param segmentSizeBytes      roll to a new segment past this size (64 KiB .. 1 GiB)
 * @param fsync                 when appends are forced to disk
 * @param maxEventBytes         limit on one event's stream + type + data + meta bytes
 * @param writeQueueRequests    appends waiting for the writer before new ones are refused as overloaded
 * @param checkpointIntervalMs  how often the writer records its durable position (lazily, after a force)
 * @param preallocate           keep the next segment written with zeros and forced ahead of time
 *                              (halves the cost of an fsync on this kind of disk; the daemon does)
 */
public record StoreConfig(long segmentSizeBytes, FsyncPolicy fsync, int maxEventBytes, int writeQueueRequests, long checkpointIntervalMs,
                          boolean preallocate) {
    public static final long DEFAULT_SEGMENT_SIZE = 256L * 1024 * 1024;
    public static final long MIN_SEGMENT_SIZE = 64L * 1024;
    public static final long MAX_SEGMENT_SIZE = 1024L * 1024 * 1024;
    public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
    /** Stays well below the frame format's hard limit, which also bounds what a reader allocates. */
    public static final int MAX_MAX_EVENT_BYTES = 16 * 1024 * 1024;

    public StoreConfig {
        if (segmentSizeBytes < MIN_SEGMENT_SIZE || segmentSizeBytes > MAX_SEGMENT_SIZE) {
            throw new BadInputException("invalid_config", "segment size " + segmentSizeBytes + " bytes is outside " + MIN_SEGMENT_SIZE + ".." + MAX_SEGMENT_SIZE);
        }
        if (maxEventBytes < 1024 || maxEventBytes > MAX_MAX_EVENT_BYTES) {
            throw new BadInputException("invalid_config", "max event size " + maxEventBytes + " bytes is outside 1024.." + MAX_MAX_EVENT_BYTES);
        }
        if (writeQueueRequests < 1) throw new BadInputException("invalid_config", "write queue must hold at least 1 request");
    }

    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_SEGMENT_SIZE, FsyncPolicy.ALWAYS, DEFAULT_MAX_EVENT_BYTES, 8192, 1000, false);
    }

    public StoreConfig withSegmentSize(long bytes) {
        return new StoreConfig(bytes, fsync, maxEventBytes, writeQueueRequests, checkpointIntervalMs, preallocate);
    }

    public StoreConfig withFsync(FsyncPolicy policy) {
        return new StoreConfig(segmentSizeBytes, policy, maxEventBytes, writeQueueRequests, checkpointIntervalMs, preallocate);
    }

    public StoreConfig withMaxEventBytes(int bytes) {
        return new StoreConfig(segmentSizeBytes, fsync, bytes, writeQueueRequests, checkpointIntervalMs, preallocate);
    }

    public StoreConfig withPreallocate(boolean on) {
        return new StoreConfig(segmentSizeBytes, fsync, maxEventBytes, writeQueueRequests, checkpointIntervalMs, on);
    }

    public StoreConfig withWriteQueueRequests(int requests) {
        return new StoreConfig(segmentSizeBytes, fsync, maxEventBytes, requests, checkpointIntervalMs, preallocate);
    }
}
