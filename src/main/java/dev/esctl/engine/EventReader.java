package dev.esctl.engine;

import dev.esctl.storage.EventRecord;

/** Events of one read, in order, pulled one at a time; holds no more than one event in memory. Not thread-safe. */
public interface EventReader extends AutoCloseable {
    /** The next event, or null when the read is complete. */
    EventRecord next();

    @Override
    void close();
}
