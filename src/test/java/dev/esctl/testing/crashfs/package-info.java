/**
 * A crash-simulating, fault-injecting file system for tests: {@link
 * dev.esctl.testing.crashfs.CrashFileSystem} wraps jimfs and records what a force made durable,
 * so that a test can stop the machine at any numbered operation, build the disk image a power
 * failure would leave ({@code crash(Random)}), restart a killed process on the same kernel state
 * ({@code restartProcess()}), or make the k-th write, force or directory force fail.
 *
 * <p>The model, in short: written bytes are visible at once and durable after a force of their
 * file; directory entries are durable after a force of their directory; on a crash each
 * pending write is kept, dropped, torn at a 512-byte sector boundary or garbled, each pending
 * truncation and entry change kept or undone; a failed force loses its pending writes on disk
 * but not in the page cache. It is deliberately harsher than ext4 (which commits metadata in
 * order and, in practice, with the next file fsync), so that a missing directory fsync or a
 * wrong order of forces shows up.
 *
 * <p>Used by {@code dev.esctl.testing.campaign} (the crash and fault campaigns) and by the
 * storage regression tests.
 */
package dev.esctl.testing.crashfs;
