package dev.esctl.storage;

import java.util.UUID;

/**
 * One committed event as decoded from its frame. {@code data} and {@code meta} are the JSON
 * bytes exactly as they were appended; {@code meta} is null when the event has none.
 * Immutable by convention: the arrays are not copied and must not be modified.
 */
public record EventRecord(
        long seq,
        String stream,
        long version,
        String type,
        UUID id,
        long timeMicros,
        byte[] data,
        byte[] meta,
        byte[] chainHash,
        int flags) {

    public boolean commitsBatch() {
        return (flags & FrameLayout.FLAG_COMMIT) != 0;
    }
}
