/**
 * fsck and repair: {@link dev.esctl.check.StoreChecker} checks a data directory (every frame,
 * the hash chain, versions, names and sizes, the checkpoint, every index file against the
 * segments) and returns a {@link dev.esctl.check.CheckReport}, printing each
 * {@link dev.esctl.check.Problem} with its file, byte offset and seq; it only reads.
 * {@link dev.esctl.check.TailRepair} cuts a damaged or torn end of the log back to the last
 * good batch, keeping the cut bytes in quarantine/. Used by {@code esctl fsck} and
 * {@code esctl restore}.
 */
package dev.esctl.check;
