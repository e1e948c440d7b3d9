package dev.esctl.testing.crashfs;

/**
 * The kinds of numbered operations a {@link CrashFileSystem} counts. Only operations that change
 * what a crash could leave behind are numbered; reads, attribute queries and closing a channel
 * are not, so they keep working after the machine has stopped.
 */
public enum OpKind {
    /** A file or directory comes into existence (a new directory entry). */
    CREATE,
    /** A write through a channel (positional or not); one call is one operation. */
    WRITE,
    /** {@code FileChannel.force} on a regular file: its data and size become durable. */
    FORCE,
    /** {@code FileChannel.force} on a channel opened on a directory: its entries become durable. */
    DIRECTORY_FORCE,
    /** {@code FileChannel.truncate}, or opening with {@code TRUNCATE_EXISTING}. */
    TRUNCATE,
    /** A directory entry is removed. */
    DELETE,
    /** A directory entry moves (atomically, as rename(2) does). */
    RENAME
}
