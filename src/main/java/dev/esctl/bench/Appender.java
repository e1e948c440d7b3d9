package dev.esctl.bench;

/** One benchmark client's way to append: in-process or over HTTP. Not thread-safe: one per client. */
interface Appender extends AutoCloseable {
    /**
     * Appends {@code events} events of the prepared payload to {@code stream}, expecting its last
     * version to be {@code expected} (-1: any). Returns the stream's new last version, or -1 after
     * a version conflict (nothing appended).
     */
    long append(String stream, int events, long expected) throws Exception;

    /** The stream's last version now (0 when absent), for a client that lost a race. */
    long lastVersion(String stream) throws Exception;

    @Override
    default void close() {}
}
