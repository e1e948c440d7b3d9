package dev.esctl.testing.crashfs;

import java.util.Map;
import java.util.TreeMap;

/**
 * One directory (an inode): the entries the running system sees ({@code live}) and the entries
 * that a directory force made durable ({@code durable}). Sorted maps, so that building a crash
 * image consumes randomness in a fixed order. Not thread-safe; guarded by the {@link Disk}.
 */
final class TrackedDirectory implements Node {
    final Map<String, Node> live = new TreeMap<>();
    final Map<String, Node> durable = new TreeMap<>();
    private final int id;

    TrackedDirectory(int id) {
        this.id = id;
    }

    @Override
    public String toString() {
        return "dir#" + id;
    }
}
